package io.sfufleet.sfu.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sfufleet.console.node.NodeClient;
import io.sfufleet.console.provision.NodeSpec;
import io.sfufleet.console.provision.SshdHost;
import io.sfufleet.installers.provision.TestFleet;
import io.sfufleet.model.api.CallSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The end-to-end check: a host provisioned by the console's own services (a real sshd on
 * 127.0.0.2, the real signed bundle uploaded, verified and installed, the config rendered from the
 * console's model, started, ready, registered) then carries a Chromium call. Runs in the
 * loopback-only network namespace of the browser-tests execution, so 127.0.0.2 is private to it.
 */
class ProvisionedNodeBrowserTest {
    private static final Path OUT = Path.of("target", "browser-tests");
    private final List<Browser> browsers = new ArrayList<>();
    private TestFleet fleet;

    @AfterEach
    void stopEverything() throws Exception {
        try {
            BrowserTests.closeAll(browsers, null);
        } finally {
            if (fleet != null) {
                fleet.close();
            }
        }
    }

    @Test
    void aCallOfTwoBrowsersRunsOnANodeTheConsoleProvisioned() throws Exception {
        BrowserTests.requireBrowserEnvironment();
        assumeTrue(SshdHost.available(), "openssh-server is not installed (apt-get install -y openssh-server)");
        fleet = new TestFleet(Files.createTempDirectory("sfu-provisioned-browser-"));
        NodeSpec spec = fleet.host("edge", "127.0.0.2");
        // the built-in page asks the node for its join token, as in the README's demo
        fleet.configs(Duration.ofMinutes(3)).set("edge", List.of("auth.dev_tokens=true"));
        spec = fleet.install("edge", spec);

        TwoBrowserCall.check("http://127.0.0.2:" + spec.httpPort(), "provisioned", browsers, OUT);

        // the console sees the call on the node it installed, through the token it generated
        NodeClient api = fleet.client("edge");
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<CallSummary> calls = api.calls().calls();
        while (calls.stream().noneMatch(c -> c.participants() == 2) && System.nanoTime() < deadline) {
            Thread.sleep(250);
            calls = api.calls().calls();
        }
        assertThat(calls).as("the provisioned node's calls through the console's API client")
                .anyMatch(c -> c.callId().equals("provisioned") && c.participants() == 2);
    }
}
