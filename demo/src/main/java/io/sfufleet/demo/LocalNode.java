package io.sfufleet.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A node started as its own process from this program's class path, so that the CPU and memory
 * the console shows are the node's alone, as on a real host. Loopback only.
 */
final class LocalNode implements AutoCloseable {
    final int httpPort;
    final int mediaPort;
    final int apiPort;
    final String apiToken;
    final String joinSecret;
    final Path log;
    private final Process process;

    private LocalNode(int httpPort, int mediaPort, int apiPort, String apiToken, String joinSecret, Path log,
                      Process process) {
        this.httpPort = httpPort;
        this.mediaPort = mediaPort;
        this.apiPort = apiPort;
        this.apiToken = apiToken;
        this.joinSecret = joinSecret;
        this.log = log;
        this.process = process;
    }

    /** Starts a node on the usual ports (8080, 8443, 8045), or free ones where those are taken, and waits until ready. */
    static LocalNode start(Path dir, String apiToken, String joinSecret, Duration readyWithin)
            throws IOException, InterruptedException {
        int http = portOr(8080);
        int media = udpPortOr(8443);
        int api = portOr(8045);
        Map<String, String> env = new HashMap<>();
        env.put("SFU_HTTP_LISTEN_ADDRESS", "127.0.0.1");
        env.put("SFU_HTTP_PORT", Integer.toString(http));
        env.put("SFU_MEDIA_BIND_ADDRESS", "127.0.0.1");
        env.put("SFU_MEDIA_ICE_HOST_OVERRIDE", "127.0.0.1");
        env.put("SFU_MEDIA_UDP_PORT", Integer.toString(media));
        env.put("SFU_API_PORT", Integer.toString(api));
        env.put("SFU_API_TOKEN", apiToken);
        env.put("SFU_AUTH_JOIN_TOKEN_SECRET", joinSecret);
        // so that a browser opened on the node's page can join the demo calls too
        env.put("SFU_AUTH_DEV_TOKENS", "true");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--sun-misc-unsafe-memory-access=allow",
                "--enable-native-access=ALL-UNNAMED", "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "io.sfufleet.sfu.Main"));
        Path log = dir.resolve("node.log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("SFU_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        LocalNode node = new LocalNode(http, media, api, apiToken, joinSecret, log, p);
        try {
            node.awaitReady(readyWithin);
        } catch (IOException | InterruptedException | RuntimeException e) {
            node.close();
            throw e;
        }
        return node;
    }

    URI clientUrl() {
        return URI.create("http://127.0.0.1:" + httpPort);
    }

    String apiUrl() {
        return "http://127.0.0.1:" + apiPort;
    }

    long pid() {
        return process.pid();
    }

    private void awaitReady(Duration within) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("the node exited with code " + process.exitValue() + "; its log:\n" + tail());
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(apiUrl() + "/readyz"))
                        .header("Authorization", "Bearer " + apiToken).timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        throw new IOException("the node was not ready within " + within.toSeconds() + " s; its log:\n" + tail());
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static int portOr(int preferred) throws IOException {
        try (ServerSocket s = new ServerSocket(preferred, 1, InetAddress.getLoopbackAddress())) {
            return preferred;
        } catch (IOException taken) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            }
        }
    }

    private static int udpPortOr(int preferred) throws IOException {
        try (var s = new java.net.DatagramSocket(preferred, InetAddress.getLoopbackAddress())) {
            return preferred;
        } catch (IOException taken) {
            try (var s = new java.net.DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            }
        }
    }

    /** Stops the node the way systemd would (SIGTERM), then for good if it does not stop within 10 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
