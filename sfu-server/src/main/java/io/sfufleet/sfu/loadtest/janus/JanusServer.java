package io.sfufleet.sfu.loadtest.janus;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts Debian's {@code janus} (1.1) with a minimal configuration written to a directory of its
 * own: VideoRoom as the only plugin, the WebSocket API as the only transport, host candidates on
 * one interface, no STUN, no event handlers. Full ICE: libnice 0.1.21's lite mode never took our
 * nominations to "connected", so Janus checks the clients back and they answer.
 *
 * <p>Janus (libnice) gathers no candidate on the loopback interface, so it runs in a network
 * namespace of its own, joined to ours by a veth pair with a private /30: Janus listens and gathers
 * on the namespace's end, the clients bind to ours ({@link #clientAddress()}). Nothing else is
 * reachable from the namespace. That needs root and iproute2. {@link #close()} stops the process it
 * started (by its handle) and deletes the namespace, which takes the veth pair with it.
 */
public final class JanusServer implements AutoCloseable {
    public static final String BINARY = "/usr/bin/janus";
    private static final String LIB = "/usr/lib/x86_64-linux-gnu/janus";

    private final Process process;
    private final Path dir;
    private final int wsPort;
    private final Link link;

    /** The namespace and the veth pair's addresses. */
    private record Link(String namespace, String hostIf, String nsIf, String hostIp, String janusIp) {
    }

    private JanusServer(Process process, Path dir, int wsPort, Link link) {
        this.process = process;
        this.dir = dir;
        this.wsPort = wsPort;
        this.link = link;
    }

    public static boolean installed() {
        return Files.isExecutable(Path.of(BINARY)) && Files.isDirectory(Path.of(LIB, "plugins"));
    }

    /**
     * Writes the configuration into {@code dir} and starts Janus; returns once its WebSocket port
     * accepts connections.
     *
     * @param cpus a taskset CPU list to pin it to (e.g. "0"), or null
     * @param rtpPorts e.g. "30000-40000": the UDP range Janus takes its per-peer ports from
     */
    public static JanusServer start(Path dir, int wsPort, String rtpPorts, String cpus) throws IOException, InterruptedException {
        if (!installed()) {
            throw new IOException("Janus is not installed (" + BINARY + "): apt-get install -y janus");
        }
        Files.createDirectories(dir);
        Link link = createLink();
        try {
            return start(dir, wsPort, rtpPorts, cpus, link);
        } catch (IOException | InterruptedException | RuntimeException e) {
            deleteNamespace(link);
            throw e;
        }
    }

    private static Link createLink() throws IOException, InterruptedException {
        // A random /30 in 10.78.0.0/16 and names of at most 15 characters, so parallel runs do not clash.
        int n = java.util.concurrent.ThreadLocalRandom.current().nextInt(1 << 14);
        String id = Integer.toString(n, 36);
        int last = (n & 63) * 4;
        Link link = new Link("lt-janus-" + ProcessHandle.current().pid() + "-" + id, "ltjh" + id, "ltjn" + id,
                "10.78." + (n >> 6) + "." + (last + 1), "10.78." + (n >> 6) + "." + (last + 2));
        run("ip", "netns", "add", link.namespace());
        try {
            run("ip", "link", "add", link.hostIf(), "type", "veth", "peer", "name", link.nsIf(), "netns", link.namespace());
            run("ip", "addr", "add", link.hostIp() + "/30", "dev", link.hostIf());
            run("ip", "link", "set", link.hostIf(), "up");
            run("ip", "netns", "exec", link.namespace(), "ip", "addr", "add", link.janusIp() + "/30", "dev", link.nsIf());
            run("ip", "netns", "exec", link.namespace(), "ip", "link", "set", link.nsIf(), "up");
            run("ip", "netns", "exec", link.namespace(), "ip", "link", "set", "lo", "up");
        } catch (IOException | InterruptedException e) {
            deleteNamespace(link);
            throw e;
        }
        return link;
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed" + (out.isEmpty() ? "" : ": " + out)
                    + " (Janus runs in a network namespace of its own: that needs root and iproute2)");
        }
    }

    private static void deleteNamespace(Link link) {
        try {
            run("ip", "netns", "delete", link.namespace());
        } catch (IOException e) {
            System.getLogger(JanusServer.class.getName()).log(System.Logger.Level.WARNING,
                    "could not delete network namespace " + link.namespace() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static JanusServer start(Path dir, int wsPort, String rtpPorts, String cpus, Link link)
            throws IOException, InterruptedException {
        Files.writeString(dir.resolve("janus.jcfg"), """
                general: {
                	configs_folder = "%1$s"
                	plugins_folder = "%2$s/plugins"
                	transports_folder = "%2$s/transports"
                	events_folder = "%2$s/events"
                	loggers_folder = "%2$s/loggers"
                	debug_level = 3
                	session_timeout = 60
                	interface = "%4$s"
                }
                media: {
                	rtp_port_range = "%3$s"
                }
                nat: {
                	nice_debug = false
                	ice_lite = false
                	ice_enforce_list = "%5$s"
                	ignore_mdns = true
                }
                plugins: {
                	disable = "libjanus_audiobridge.so,libjanus_duktape.so,libjanus_echotest.so,libjanus_lua.so,libjanus_nosip.so,libjanus_recordplay.so,libjanus_sip.so,libjanus_streaming.so,libjanus_textroom.so,libjanus_videocall.so,libjanus_voicemail.so"
                }
                transports: {
                	disable = "libjanus_http.so,libjanus_mqtt.so,libjanus_nanomsg.so,libjanus_pfunix.so,libjanus_rabbitmq.so"
                }
                events: {
                	broadcast = false
                }
                loggers: {
                	disable = "libjanus_jsonlog.so"
                }
                """.formatted(dir.toAbsolutePath(), LIB, rtpPorts, link.janusIp(), link.nsIf()));
        Files.writeString(dir.resolve("janus.transport.websockets.jcfg"), """
                general: {
                	json = "compact"
                	ws = true
                	ws_port = %d
                	ws_ip = "%s"
                	wss = false
                }
                admin: {
                	admin_ws = false
                	admin_wss = false
                }
                """.formatted(wsPort, link.janusIp()));
        Files.writeString(dir.resolve("janus.plugin.videoroom.jcfg"), "general: {\n}\n");
        List<String> cmd = new ArrayList<>();
        if (cpus != null && !cpus.isBlank()) {
            cmd.addAll(List.of("taskset", "-c", cpus)); // taskset execs Janus: same pid
        }
        // ip netns exec and taskset both exec what follows: the process we hold is Janus itself
        cmd.addAll(List.of("ip", "netns", "exec", link.namespace()));
        cmd.addAll(List.of(BINARY, "-C", dir.resolve("janus.jcfg").toString(), "-F", dir.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("janus.log").toFile()).start();
        JanusServer server = new JanusServer(p, dir, wsPort, link);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            if (!p.isAlive()) {
                throw new IOException("Janus exited with " + p.exitValue() + " at start; see " + dir.resolve("janus.log"));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(link.janusIp(), wsPort), 500);
                return server;
            } catch (IOException notYet) {
                if (System.nanoTime() - deadline > 0) {
                    server.close();
                    throw new IOException("Janus did not open its WebSocket port " + wsPort + " within 20 s; see "
                            + dir.resolve("janus.log"));
                }
                Thread.sleep(100);
            }
        }
    }

    public URI webSocketUri() {
        return URI.create("ws://" + link.janusIp() + ":" + wsPort + "/");
    }

    /** The address clients bind their sockets to: our end of the veth pair. */
    public java.net.InetAddress clientAddress() {
        try {
            return java.net.InetAddress.getByName(link.hostIp());
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("not an IP: " + link.hostIp(), e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return dir.resolve("janus.log");
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            deleteNamespace(link);
        }
    }
}
