package io.sfufleet.console.ui.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sfufleet.console.TestConsole;
import io.sfufleet.console.alerts.AlertRules;
import io.sfufleet.console.audit.AuditEntry;
import io.sfufleet.console.monitor.ConsoleCore;
import io.sfufleet.console.monitor.MonitorSettings;
import io.sfufleet.console.provision.HostAuth;
import io.sfufleet.console.provision.SshdHost;
import io.sfufleet.console.provision.Verdict;
import io.sfufleet.console.ui.Provisioning;
import io.sfufleet.console.ui.UiExecutor;
import io.sfufleet.console.ui.provision.ProvisionWizardViewModel.Step;
import io.sfufleet.sfu.FreePorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wizard's steps against a real sshd on 127.0.50.1, run inline (no FX thread): validation,
 * the key shown and pinned, a refused login, an unreachable host, a changed key, the preflight.
 */
class ProvisionWizardViewModelTest {
    @TempDir
    Path tmp;
    private ConsoleCore core;
    private Provisioning provisioning;
    private SshdHost sshd;
    private Path key;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(SshdHost.available(), "openssh-server is not installed (apt-get install -y openssh-server)");
        core = TestConsole.core(tmp, MonitorSettings.DEFAULTS, AlertRules.DEFAULTS);
        provisioning = Provisioning.of(core, Duration.ofMinutes(1));
        sshd = SshdHost.create(tmp.resolve("sshd"), "127.0.50.1", FreePorts.tcp()).start();
        key = SshdHost.keygen(tmp.resolve("id_ed25519"), "ed25519", "");
        sshd.authorize("root", key);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (sshd != null) {
            sshd.close();
        }
        if (core != null) {
            core.close();
        }
    }

    private ProvisionWizardViewModel wizard() {
        return new ProvisionWizardViewModel(provisioning, UiExecutor.INLINE, Runnable::run);
    }

    private void typeConnection(ProvisionWizardViewModel vm, String name) {
        vm.nameProperty().set(name);
        vm.addressProperty().set(sshd.address());
        vm.sshPortProperty().set(Integer.toString(sshd.port()));
        vm.userProperty().set("root");
        vm.authProperty().set(HostAuth.KEY);
        vm.keyFileProperty().set(key.toString());
        vm.prefixProperty().set(tmp.resolve("prefix").toString());
    }

    private List<String> actions() {
        return core.audit().latest(50).stream().map(AuditEntry::action).toList();
    }

    @Test
    void badInputIsNamedInlineAndNothingIsStored() {
        ProvisionWizardViewModel vm = wizard();
        typeConnection(vm, "edge-1");
        assertThat(vm.validateConnection()).isEmpty();
        vm.sshPortProperty().set("twenty-two");
        assertThat(vm.validateConnection()).contains("SSH port must be a number");
        vm.sshPortProperty().set("22");
        vm.keyFileProperty().set(tmp.resolve("missing").toString());
        assertThat(vm.validateConnection()).contains("cannot read the private key file").contains("missing");
        vm.keyFileProperty().set(key.toString());
        vm.nameProperty().set("no spaces please");
        vm.next();
        assertThat(vm.connectionErrorProperty().get()).contains("host name must be");
        assertThat(vm.stepProperty().get()).isEqualTo(Step.CONNECTION);
        assertThat(provisioning.hosts().list()).isEmpty();
    }

    @Test
    void theKeyIsShownThenPinnedAndThePreflightHasNoFail() throws Exception {
        ProvisionWizardViewModel vm = wizard();
        typeConnection(vm, "edge-1");
        vm.next();
        assertThat(vm.connectionErrorProperty().get()).isEmpty();
        assertThat(vm.stepProperty().get()).isEqualTo(Step.HOST_KEY);
        assertThat(vm.presentedProperty().get()).isEqualTo(sshd.fingerprint());
        assertThat(vm.canNext().get()).as("Next before the key is accepted").isFalse();
        assertThat(provisioning.hosts().require("edge-1").trusted()).isFalse();

        vm.accept();
        assertThat(vm.keyErrorProperty().get()).isEmpty();
        assertThat(vm.keyAcceptedProperty().get()).isTrue();
        assertThat(provisioning.hosts().require("edge-1").hostKeyFingerprint()).isEqualTo(sshd.fingerprint());

        vm.mediaPortProperty().set(Integer.toString(FreePorts.udp()));
        vm.apiPortProperty().set(Integer.toString(FreePorts.tcp()));
        vm.httpPortProperty().set(Integer.toString(FreePorts.tcp()));
        vm.bindAddressProperty().set(sshd.address());
        vm.next();
        assertThat(vm.stepProperty().get()).isEqualTo(Step.PREFLIGHT);
        assertThat(vm.canNext().get()).as("Next before the preflight ran").isFalse();
        vm.runPreflight();
        assertThat(vm.checks()).as(vm.preflightMessageProperty().get()).hasSizeGreaterThan(10)
                .noneMatch(c -> c.verdict() == Verdict.FAIL);
        assertThat(vm.canNext().get()).isTrue();
        vm.next();
        assertThat(vm.stepProperty().get()).isEqualTo(Step.INSTALL);
        assertThat(actions()).contains("hosts.add", "hosts.trust", "hosts.preflight");

        // a port in use makes a FAIL line, and Next goes off until a Re-run passes
        try (var busy = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(sshd.address()))) {
            vm.apiPortProperty().set(Integer.toString(busy.getLocalPort()));
            vm.runPreflight();
            assertThat(vm.failCount()).isPositive();
        }
        vm.stepProperty().set(Step.PREFLIGHT);
        assertThat(vm.canNext().get()).isFalse();
    }

    @Test
    void aRefusedLoginSaysWhatToDoAndPinsNothing() throws Exception {
        ProvisionWizardViewModel vm = wizard();
        typeConnection(vm, "edge-2");
        vm.authProperty().set(HostAuth.PASSWORD);
        vm.secretProperty().set("not the password");
        vm.next();
        assertThat(vm.stepProperty().get()).isEqualTo(Step.HOST_KEY);
        vm.accept();
        assertThat(vm.keyErrorProperty().get()).contains("refused the login of root by password")
                .contains("check the password");
        assertThat(vm.keyAcceptedProperty().get()).isFalse();
        assertThat(provisioning.hosts().require("edge-2").trusted()).isFalse();
    }

    @Test
    void anUnreachableHostIsNotLeftStored() {
        ProvisionWizardViewModel vm = wizard();
        typeConnection(vm, "edge-3");
        vm.sshPortProperty().set(Integer.toString(FreePorts.tcp()));  // nothing listens there
        vm.next();
        assertThat(vm.stepProperty().get()).isEqualTo(Step.CONNECTION);
        assertThat(vm.connectionErrorProperty().get()).contains("cannot reach").contains("is sshd running there");
        assertThat(provisioning.hosts().list()).isEmpty();
        assertThat(actions()).contains("hosts.add", "hosts.remove");
    }

    @Test
    void aChangedKeyIsShownWithBothFingerprintsAndNeedsAnExplicitConfirmation() throws Exception {
        ProvisionWizardViewModel first = wizard();
        typeConnection(first, "edge-4");
        first.next();
        first.accept();
        String old = sshd.fingerprint();
        assertThat(provisioning.hosts().require("edge-4").hostKeyFingerprint()).isEqualTo(old);

        sshd.close();
        sshd.newHostKey();
        sshd.start();
        String now = sshd.fingerprint();

        ProvisionWizardViewModel vm = wizard();
        vm.startWith(provisioning.hosts().require("edge-4"));
        assertThat(vm.keyChangedProperty().get()).isTrue();
        assertThat(vm.keyErrorProperty().get()).contains("CHANGED").contains(old).contains(now);
        assertThat(vm.canAccept().get()).isFalse();
        assertThat(vm.canNext().get()).isFalse();
        vm.accept();  // without the confirmation: nothing happens
        assertThat(provisioning.hosts().require("edge-4").hostKeyFingerprint()).isEqualTo(old);
        assertThat(core.audit().latest(5)).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo("hosts.connect");
            assertThat(e.result()).startsWith("refused").contains(now);
        });

        vm.replaceConfirmedProperty().set(true);
        assertThat(vm.canAccept().get()).isTrue();
        vm.accept();
        assertThat(vm.keyErrorProperty().get()).isEmpty();
        assertThat(provisioning.hosts().require("edge-4").hostKeyFingerprint()).isEqualTo(now);
        assertThat(vm.canNext().get()).isTrue();
    }
}
