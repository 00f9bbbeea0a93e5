package io.sfufleet.console.provision.uninstall;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The systemd branch of uninstall, which cannot run here (no systemd): the shell accepts it, and it
 * stops before it disables and removes, failing when the stop fails. The supervised branch runs
 * against real nodes in installers' ProvisionOpsTest.
 */
class UninstallerScriptTest {
    @Test
    void theSystemdRemovalIsValidShellThatStopsFirst() throws Exception {
        Process p = new ProcessBuilder("sh", "-n", "-c", Uninstaller.SYSTEMD_REMOVAL).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        String s = Uninstaller.SYSTEMD_REMOVAL;
        assertThat(s).contains("systemctl stop sfu-server.service || exit 1");
        assertThat(s.indexOf("systemctl stop")).isLessThan(s.indexOf("systemctl disable"));
        assertThat(s.indexOf("systemctl disable")).isLessThan(s.indexOf("rm -f"));
        assertThat(s).contains("rm -f /etc/systemd/system/sfu-server.service /etc/sysctl.d/90-sfu-server.conf");
        assertThat(s.indexOf("rm -f")).isLessThan(s.indexOf("daemon-reload"));
    }
}
