package io.sfufleet.sfu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sfufleet.sfu.net.BindFailedException;
import java.io.Closeable;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A node whose port is held by another socket does not start, and says which listener, address,
 * port and key: in-process for each of its four listeners, and as the command does it (one line,
 * exit code 1) in a process of its own.
 */
class BindFailureTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    Path tmp;

    @ParameterizedTest
    @CsvSource({
            "media UDP port, media.udp_port, SFU_MEDIA_UDP_PORT",
            "media TCP port, media.tcp_port, SFU_MEDIA_TCP_PORT",
            "client HTTP port, http.port, SFU_HTTP_PORT",
            "admin API port, api.port, SFU_API_PORT"})
    void aHeldPortStopsTheStartNamingIt(String listener, String key, String env) throws Exception {
        // the media port number is shared by UDP and ICE-TCP, as in production: only one protocol is held
        int mediaPort = FreePorts.udpAndTcp();
        try (Closeable held = key.equals("media.udp_port") ? new DatagramSocket(new InetSocketAddress(LOOPBACK, mediaPort))
                : new ServerSocket(key.startsWith("media.") ? mediaPort : 0, 50, LOOPBACK)) {
            int port = held instanceof ServerSocket s ? s.getLocalPort() : mediaPort;
            Map<String, String> ports = new HashMap<>(Map.of("SFU_MEDIA_UDP_PORT", Integer.toString(mediaPort),
                    "SFU_MEDIA_TCP_PORT", Integer.toString(mediaPort)));
            ports.put(env, Integer.toString(port));
            assertThatThrownBy(() -> TestNodes.start(ports).close())
                    .isInstanceOfSatisfying(BindFailedException.class, e -> assertThat(e.key()).isEqualTo(key))
                    .hasMessage(listener + " 127.0.0.1:" + port + " (" + key + ") is in use (Address already in use)");
        }
    }

    @Test
    void theFailedStartReleasesThePortsItHadBound() throws Exception {
        // UDP binds first and succeeds; the held ICE-TCP port then fails the start
        int mediaPort = FreePorts.udpAndTcp();
        try (ServerSocket held = new ServerSocket(mediaPort, 50, LOOPBACK)) {
            assertThatThrownBy(() -> TestNodes.start(Map.of("SFU_MEDIA_UDP_PORT", Integer.toString(mediaPort),
                    "SFU_MEDIA_TCP_PORT", Integer.toString(mediaPort))).close())
                    .isInstanceOf(BindFailedException.class);
        }
        // the event loops close their channels as they shut down, which the start does not wait for
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            try (DatagramSocket again = new DatagramSocket(new InetSocketAddress(LOOPBACK, mediaPort))) {
                return;
            } catch (IOException stillBound) {
                last = stillBound;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the media UDP port " + mediaPort + " is still bound 20 s after the failed start", last);
    }

    @Test
    void theCommandPrintsOneLineAndExitsWithOne() throws Exception {
        try (ServerSocket held = new ServerSocket(0, 50, LOOPBACK)) {
            Path config = tmp.resolve("sfu.toml");
            Files.writeString(config, TestNodes.toml(FreePorts.udpAndTcp(), held.getLocalPort(), FreePorts.tcp()));
            Path log = tmp.resolve("node.log");
            String java = ProcessHandle.current().info().command().orElse("java");
            ProcessBuilder pb = new ProcessBuilder(List.of(java, "--sun-misc-unsafe-memory-access=allow",
                    "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                    "io.sfufleet.sfu.Main", "--config", config.toString()))
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("SFU_"));
            Process node = pb.start();
            try {
                assertThat(node.waitFor(60, TimeUnit.SECONDS)).as("the node exits at once").isTrue();
                String out = Files.readString(log);
                assertThat(node.exitValue()).as(out).isEqualTo(1);
                assertThat(out).contains("sfu-server: cannot start: client HTTP port 127.0.0.1:" + held.getLocalPort()
                        + " (http.port) is in use (Address already in use)\n");
                assertThat(out).as("no stack trace in the log's tail").doesNotContain("\tat ").doesNotContain("running;");
            } finally {
                node.destroyForcibly();
            }
        }
    }
}
