package io.sfufleet.sfu.browser;

import static io.sfufleet.installers.TestBundles.asUser;
import static io.sfufleet.installers.TestBundles.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.installers.TestBundles;
import io.sfufleet.installers.TestBundles.Result;
import io.sfufleet.sfu.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A call of two headless Chromium browsers through the node of the bundle: unpacked into a
 * temporary root, started with its own runtime by an ordinary user with no java on PATH, and
 * joined through its built-in client. Lives in sfu-server's browser test package to reuse its
 * {@link Browser} helper (from sfu-server's test-jar), and runs in the loopback-only network
 * namespace of the browser-tests execution (installers/pom.xml).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BundledNodeBrowserTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final Path OUT = Path.of("target", "browser-tests");

    private Path work;
    private Process node;
    private int httpPort;
    private final List<Browser> browsers = new ArrayList<>();

    @BeforeAll
    void startTheBundledNode() throws Exception {
        BrowserTests.requireBrowserEnvironment();
        work = Files.createTempDirectory("sfu-bundle-browser-");
        TestBundles.giveToUser(work);
        Result tar = run(TIMEOUT, asUser(List.of("tar", "-xzf", TestBundles.bundle().toString(), "-C", work.toString())),
                Map.of(), null);
        assertThat(tar.code()).as(tar.output()).isZero();
        Path root = work.resolve("sfu-server-" + TestBundles.version());
        int apiPort = FreePorts.tcp();
        httpPort = FreePorts.tcp();
        Path log = work.resolve("node.log");
        ProcessBuilder pb = new ProcessBuilder(asUser(List.of(root.resolve("bin/sfu-server").toString(), "--config",
                root.resolve("config/sfu.toml").toString()))).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().clear();
        pb.environment().putAll(Map.of(
                "PATH", TestBundles.pathWithoutJava(work).toString(),
                "SFU_API_PORT", String.valueOf(apiPort),
                "SFU_HTTP_PORT", String.valueOf(httpPort),
                "SFU_MEDIA_UDP_PORT", String.valueOf(FreePorts.udp()),
                "SFU_MEDIA_TCP_PORT", "0",
                "SFU_MEDIA_BIND_ADDRESS", "127.0.0.1",
                "SFU_MEDIA_ICE_HOST_OVERRIDE", "127.0.0.1",
                "SFU_HTTP_LISTEN_ADDRESS", "127.0.0.1",
                // The pages fetch their join tokens from the node, as in the README's demo.
                "SFU_AUTH_DEV_TOKENS", "true"));
        long started = System.nanoTime();
        node = pb.start();
        long ms = TestBundles.awaitReady(node, apiPort, started, TIMEOUT, log);
        System.out.printf("bundled node (network namespace %s): /readyz 200 after %d ms%n",
                System.getenv("SFU_BROWSER_TEST_NETNS"), ms);
    }

    @AfterAll
    void stopEverything() throws InterruptedException {
        try {
            BrowserTests.closeAll(browsers, null);
        } finally {
            TestBundles.stop(node);
            if (work != null) {
                run(TIMEOUT, List.of("rm", "-rf", work.toString()), Map.of(), null);
            }
        }
    }

    @Test
    void twoBrowsersInACallThroughTheBundledNodeReceiveEachOthersAudioAndVideo() throws InterruptedException {
        TwoBrowserCall.check("http://127.0.0.1:" + httpPort, "bundle", browsers, OUT);
    }
}
