package io.sfufleet.installers.bundle;

import static io.sfufleet.installers.TestBundles.asUser;
import static io.sfufleet.installers.TestBundles.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sfufleet.installers.TestBundles;
import io.sfufleet.installers.TestBundles.Result;
import io.sfufleet.sfu.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The bundle unpacked into a temporary root and started with its own runtime, as an ordinary
 * user, with no {@code java} on PATH and no JAVA_HOME: it becomes ready, it is the bundled
 * runtime and server that run, SIGHUP (the unit's ExecReload) rereads the configuration, and
 * {@code bin/sfu-drain} (the unit's ExecStop, the Kubernetes preStop) drains it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BundledNodeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private Path work;
    private Path root;
    private Path config;
    private Path log;
    private Process node;
    private int apiPort;
    private Map<String, String> env;

    @BeforeAll
    void unpackAndStart() throws Exception {
        work = Files.createTempDirectory("sfu-bundled-node-");
        TestBundles.giveToUser(work);
        Result tar = run(TIMEOUT, asUser(List.of("tar", "-xzf", TestBundles.bundle().toString(), "-C", work.toString())),
                Map.of(), null);
        assertThat(tar.code()).as(tar.output()).isZero();
        root = work.resolve("sfu-server-" + TestBundles.version());
        config = work.resolve("sfu.toml");
        Files.copy(root.resolve("config/sfu.toml"), config);
        Path path = TestBundles.pathWithoutJava(work);
        TestBundles.giveToUser(work.resolve("sfu.toml"));

        apiPort = FreePorts.tcp();
        int media = FreePorts.udp();
        env = Map.of(
                "PATH", path.toString(),
                "SFU_API_PORT", String.valueOf(apiPort),
                "SFU_HTTP_PORT", String.valueOf(FreePorts.tcp()),
                "SFU_MEDIA_UDP_PORT", String.valueOf(media),
                "SFU_MEDIA_TCP_PORT", "0",
                "SFU_MEDIA_BIND_ADDRESS", "127.0.0.1",
                "SFU_MEDIA_ICE_HOST_OVERRIDE", "127.0.0.1",
                "SFU_HTTP_LISTEN_ADDRESS", "127.0.0.1");
        Result which = run(TIMEOUT, List.of("/bin/sh", "-c", "command -v java || echo none; echo ${JAVA_HOME:-unset}"), env, null);
        assertThat(which.output()).as("no java on the node's PATH").isEqualTo("none\nunset\n");

        log = work.resolve("node.log");
        ProcessBuilder pb = new ProcessBuilder(asUser(List.of(root.resolve("bin/sfu-server").toString(), "--config",
                config.toString()))).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        long started = System.nanoTime();
        node = pb.start();
        long readyMillis = TestBundles.awaitReady(node, apiPort, started, TIMEOUT, log);
        System.out.printf("bundled node: /readyz 200 after %d ms (load average %s)%n", readyMillis,
                Files.readString(Path.of("/proc/loadavg")).trim());
    }

    @AfterAll
    void stopAndClean() throws InterruptedException {
        TestBundles.stop(node);
        if (work != null) {
            run(TIMEOUT, List.of("rm", "-rf", work.toString()), Map.of(), null);
        }
    }

    @Test
    @Order(1)
    void itIsTheBundledRuntimeAndServerThatRun() throws Exception {
        Path exe = Path.of("/proc", String.valueOf(node.pid()), "exe").toRealPath();
        assertThat(exe).isEqualTo(root.resolve("runtime/bin/java").toRealPath());
        // GET /api/v1/node serves the last periodic snapshot, which can still say "starting" just
        // after /readyz (evaluated live) turned 200: poll briefly.
        JsonNode info = JSON.readTree(TestBundles.get(apiPort, "/api/v1/node"));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!"running".equals(info.path("state").asText()) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            info = JSON.readTree(TestBundles.get(apiPort, "/api/v1/node"));
        }
        assertThat(info.path("version").asText()).isEqualTo(TestBundles.version());
        assertThat(info.path("state").asText()).isEqualTo("running");
        assertThat(TestBundles.status(apiPort, "/livez")).isEqualTo(200);
        // The launcher's JVM flags reach the JVM, and nothing warns about Unsafe or native access.
        List<String> cmdline = List.of(Files.readString(Path.of("/proc", String.valueOf(node.pid()), "cmdline")).split("\0"));
        assertThat(cmdline).contains("--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED",
                "-XX:+ExitOnOutOfMemoryError", "-jar", root.resolve("app/sfu-server.jar").toString());
        assertThat(Files.readString(log)).doesNotContain("WARNING: A terminally deprecated method in sun.misc.Unsafe")
                .doesNotContain("WARNING: A restricted method");
    }

    @Test
    @Order(2)
    void sighupRereadsTheConfigurationFile() throws Exception {
        Files.writeString(config, Files.readString(config).replace("max_calls = 1000", "max_calls = 777"));
        Result hup = run(TIMEOUT, List.of("kill", "-HUP", String.valueOf(node.pid())), Map.of(), null);
        assertThat(hup.code()).as(hup.output()).isZero();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int maxCalls = -1;
        while (System.nanoTime() < deadline && maxCalls != 777) {
            Thread.sleep(100);
            maxCalls = JSON.readTree(TestBundles.get(apiPort, "/api/v1/node")).path("capacity").path("maxCalls").asInt();
        }
        assertThat(maxCalls).isEqualTo(777);
        assertThat(node.isAlive()).isTrue();
    }

    @Test
    @Order(3)
    void sfuApiAnswersTheReadinessProbe() {
        Result ready = run(TIMEOUT, asUser(List.of(root.resolve("bin/sfu-api").toString(), "GET", "/readyz")),
                Map.of("PATH", "/usr/bin:/bin", "SFU_API_PORT", String.valueOf(apiPort)), null);
        assertThat(ready.code()).as(ready.output()).isZero();
        assertThat(ready.output()).contains("\"status\":\"ok\"");
        Result nothing = run(TIMEOUT, List.of(root.resolve("bin/sfu-api").toString(), "GET", "/readyz"),
                Map.of("PATH", "/usr/bin:/bin", "SFU_API_PORT", String.valueOf(FreePorts.tcp())), null);
        assertThat(nothing.code()).isEqualTo(1);
        assertThat(nothing.output()).contains("nothing answers");
    }

    @Test
    @Order(4)
    void sfuDrainDrainsTheNodeAndReturnsWhenNoCallIsLeft() throws Exception {
        Result drain = run(TIMEOUT, asUser(List.of(root.resolve("bin/sfu-drain").toString(), "30")),
                Map.of("PATH", "/usr/bin:/bin", "SFU_API_PORT", String.valueOf(apiPort)), null);
        assertThat(drain.code()).as(drain.output()).isZero();
        assertThat(drain.output()).contains("draining for up to 30 s").contains("no calls left");
        assertThat(JSON.readTree(TestBundles.get(apiPort, "/api/v1/node")).path("state").asText()).isEqualTo("draining");
        assertThat(TestBundles.status(apiPort, "/readyz")).isEqualTo(503);
        Result notReady = run(TIMEOUT, List.of(root.resolve("bin/sfu-api").toString(), "GET", "/readyz"),
                Map.of("PATH", "/usr/bin:/bin", "SFU_API_PORT", String.valueOf(apiPort)), null);
        assertThat(notReady.code()).as("the readiness probe fails while draining: %s", notReady.output()).isEqualTo(1);
    }

    @Test
    @Order(5)
    void sfuDrainWithNoNodeRunningLetsTheStopGoOn() {
        Result drain = run(TIMEOUT, List.of(root.resolve("bin/sfu-drain").toString(), "5"),
                Map.of("PATH", "/usr/bin:/bin", "SFU_API_PORT", String.valueOf(FreePorts.tcp())), null);
        assertThat(drain.code()).as(drain.output()).isZero();
        assertThat(drain.output()).contains("did not accept the drain");
    }

    @Test
    @Order(6)
    void sigtermStopsIt() throws Exception {
        node.destroy();
        assertThat(node.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).as("stopped within 30 s").isTrue();
        assertThat(TestBundles.status(apiPort, "/livez")).isEqualTo(-1);
    }
}
