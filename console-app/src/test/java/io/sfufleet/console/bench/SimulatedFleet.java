package io.sfufleet.console.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sfufleet.console.node.ApiJson;
import io.sfufleet.model.api.ApiError;
import io.sfufleet.model.api.ApiPaths;
import io.sfufleet.model.api.CallDetail;
import io.sfufleet.model.api.CallList;
import io.sfufleet.model.api.CallSummary;
import io.sfufleet.model.api.HelloEvent;
import io.sfufleet.model.api.NodeEvent;
import io.sfufleet.model.api.StatsSnapshotEvent;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A fleet of SIMULATED nodes that exists only for the console's scale benchmark: each simulated
 * node is a small hand-written HTTP/WebSocket server on its own 127.0.0.1 port that answers the
 * admin API routes the console's monitor reads ({@code GET /api/v1/events}: {@code hello}, then a
 * {@code statsSnapshot} every second; {@code GET /api/v1/node}, {@code /api/v1/calls} and
 * {@code /api/v1/calls/{id}}) with {@link SimulatedFigures generated figures}, written from the
 * shared-model records by the console's own {@link ApiJson} mapper so the JSON is exactly the
 * contract. It has no media, no signalling and no actions (those answer 404 or 405): it must never
 * stand in for a real node in a functional test, which starts a real {@code SfuNode}. Node names
 * ({@code simulated-001}) and the version ({@code 0.1.0-simulated}) say what it is on screen.
 *
 * <p>{@link #main} runs it as a process of its own (so the console's CPU and memory are measured
 * alone): it prints {@code READY name=port ...} on one line and runs until its standard input
 * closes or {@code --max-seconds} pass.
 */
public final class SimulatedFleet implements AutoCloseable {
    /** The bearer token every simulated node expects. */
    public static final String TOKEN = "simulated-fleet-token-not-a-secret";

    private static final Logger LOG = Logger.getLogger(SimulatedFleet.class.getName());
    private static final String WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int MAX_HEADER_LINES = 100;
    private static final int MAX_LINE = 8192;

    /** A simulated node: its name and the port of its admin API on 127.0.0.1. */
    public record Node(String name, int port) {
        public String apiUrl() {
            return "http://127.0.0.1:" + port;
        }
    }

    private final ObjectMapper json = ApiJson.newMapper();
    private final List<Server> servers = new ArrayList<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong frames = new AtomicLong();
    private volatile boolean closed;

    private SimulatedFleet() {
    }

    /** Starts {@code nodes} simulated nodes with {@code calls} calls of {@code perCall} participants each. */
    public static SimulatedFleet start(int nodes, int calls, int perCall) throws IOException {
        if (nodes < 1 || nodes > 1000) {
            throw new IllegalArgumentException("nodes must be 1 to 1000, not " + nodes);
        }
        SimulatedFleet fleet = new SimulatedFleet();
        long started = System.currentTimeMillis() - 3_600_000;
        try {
            for (int i = 1; i <= nodes; i++) {
                SimulatedFigures figures = new SimulatedFigures(i, calls, perCall, started);
                ServerSocket socket = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
                Server s = fleet.new Server(figures, socket);
                fleet.servers.add(s);
                Thread.ofVirtual().name("simulated-accept-" + i).start(s::acceptLoop);
            }
        } catch (IOException | RuntimeException e) {
            fleet.close();
            throw e;
        }
        return fleet;
    }

    public List<Node> nodes() {
        return servers.stream().map(s -> new Node(s.figures.name(), s.socket.getLocalPort())).toList();
    }

    /** HTTP requests answered, event-stream frames sent: for the benchmark's report. */
    public long requests() {
        return requests.get();
    }

    public long frames() {
        return frames.get();
    }

    @Override
    public void close() {
        closed = true;
        for (Server s : servers) {
            closeQuietly(s.socket);
        }
        for (Socket s : open) {
            closeQuietly(s);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // closing on the way out: nothing left to do with the error
        }
    }

    /** One simulated node's listener. */
    private final class Server {
        final SimulatedFigures figures;
        final ServerSocket socket;

        Server(SimulatedFigures figures, ServerSocket socket) {
            this.figures = figures;
            this.socket = socket;
        }

        void acceptLoop() {
            while (!closed) {
                Socket s;
                try {
                    s = socket.accept();
                } catch (IOException e) {
                    if (!closed) {
                        LOG.log(Level.WARNING, figures.name() + ": accept failed, the simulated node stops", e);
                    }
                    return;
                }
                open.add(s);
                Thread.ofVirtual().name("simulated-conn-" + figures.name()).start(() -> serve(s));
            }
        }

        private void serve(Socket s) {
            try (s) {
                s.setTcpNoDelay(true);
                InputStream in = new BufferedInputStream(s.getInputStream());
                OutputStream out = s.getOutputStream();
                // HTTP/1.1 keep-alive: OkHttp reuses the connection for the sweeps
                while (!closed) {
                    String requestLine = readLine(in);
                    if (requestLine == null) {
                        return;
                    }
                    Map<String, String> headers = readHeaders(in);
                    skipBody(in, headers);
                    requests.incrementAndGet();
                    String[] parts = requestLine.split(" ");
                    if (parts.length != 3) {
                        error(out, 400, ApiError.BAD_REQUEST, "malformed request line");
                        return;
                    }
                    if (!("Bearer " + TOKEN).equals(headers.get("authorization"))) {
                        error(out, 401, ApiError.UNAUTHORIZED, "a bearer token is required");
                        continue;
                    }
                    String path = parts[1];
                    int q = path.indexOf('?');
                    if (q >= 0) {
                        path = path.substring(0, q);
                    }
                    if (path.equals(ApiPaths.EVENTS) && "websocket".equalsIgnoreCase(headers.get("upgrade"))) {
                        stream(in, out, headers.get("sec-websocket-key"));
                        return;
                    }
                    if (!parts[0].equals("GET")) {
                        error(out, path.startsWith(ApiPaths.PREFIX) ? 405 : 404,
                                path.startsWith(ApiPaths.PREFIX) ? ApiError.METHOD_NOT_ALLOWED : ApiError.NOT_FOUND,
                                "a simulated node only answers GET");
                        continue;
                    }
                    long now = System.currentTimeMillis();
                    if (path.equals(ApiPaths.NODE)) {
                        ok(out, figures.node(now, figures.calls(now)));
                    } else if (path.equals(ApiPaths.CALLS)) {
                        ok(out, new CallList(figures.calls(now)));
                    } else if (path.startsWith(ApiPaths.CALLS + "/") && path.indexOf('/', ApiPaths.CALLS.length() + 1) < 0) {
                        CallDetail d = figures.call(path.substring(ApiPaths.CALLS.length() + 1), now);
                        if (d == null) {
                            error(out, 404, ApiError.NOT_FOUND, "no such call");
                        } else {
                            ok(out, d);
                        }
                    } else {
                        error(out, 404, ApiError.NOT_FOUND, "not served by a simulated node");
                    }
                }
            } catch (IOException e) {
                // the console closed the connection or the fleet is closing: the normal end of a connection
            } finally {
                open.remove(s);
            }
        }

        /** The event stream: hello, then a snapshot at the start of every second, until either side closes. */
        private void stream(InputStream in, OutputStream out, String key) throws IOException {
            if (key == null || key.isBlank()) {
                error(out, 400, ApiError.BAD_REQUEST, "no Sec-WebSocket-Key");
                return;
            }
            String accept = Base64.getEncoder().encodeToString(sha1((key.strip() + WS_GUID).getBytes(StandardCharsets.US_ASCII)));
            synchronized (out) {
                out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            var clientGone = new java.util.concurrent.CountDownLatch(1);
            Thread reader = Thread.ofVirtual().name("simulated-ws-read-" + figures.name()).start(() -> {
                try {
                    readFrames(in, out);
                } catch (IOException e) {
                    // the console went away
                } finally {
                    clientGone.countDown();
                }
            });
            try {
                send(out, new HelloEvent(ApiPaths.API_VERSION, figures.name(), System.currentTimeMillis()));
                while (!closed) {
                    long now = System.currentTimeMillis();
                    if (clientGone.await(1000 - now % 1000, TimeUnit.MILLISECONDS)) {
                        return;
                    }
                    long at = System.currentTimeMillis();
                    List<CallSummary> calls = figures.calls(at);
                    send(out, new StatsSnapshotEvent(figures.node(at, calls), calls, at));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                reader.interrupt();
            }
        }

        private void send(OutputStream out, NodeEvent e) throws IOException {
            byte[] payload = json.writerFor(NodeEvent.class).writeValueAsBytes(e);
            ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 10);
            frame.write(0x81); // FIN, text; server frames are not masked (RFC 6455 5.1)
            if (payload.length < 126) {
                frame.write(payload.length);
            } else if (payload.length < 65536) {
                frame.write(126);
                frame.write(payload.length >>> 8);
                frame.write(payload.length & 0xff);
            } else {
                frame.write(127);
                for (int shift = 56; shift >= 0; shift -= 8) {
                    frame.write((int) ((long) payload.length >>> shift) & 0xff);
                }
            }
            frame.write(payload);
            synchronized (out) {
                frame.writeTo(out);
                out.flush();
            }
            frames.incrementAndGet();
        }

        /** Reads the client's frames: answers ping and close, drops the rest; returns at close or end of stream. */
        private void readFrames(InputStream in, OutputStream out) throws IOException {
            while (!closed) {
                int b0 = in.read();
                int b1 = in.read();
                if (b0 < 0 || b1 < 0) {
                    return;
                }
                int opcode = b0 & 0x0f;
                long len = b1 & 0x7f;
                if (len == 126) {
                    len = (readByte(in) << 8) | readByte(in);
                } else if (len == 127) {
                    len = 0;
                    for (int k = 0; k < 8; k++) {
                        len = (len << 8) | readByte(in);
                    }
                }
                if (len > 1 << 20) {
                    return; // a client never sends anything that big here
                }
                byte[] mask = (b1 & 0x80) != 0 ? in.readNBytes(4) : null;
                byte[] payload = in.readNBytes((int) len);
                if (payload.length != len) {
                    return;
                }
                if (mask != null) {
                    for (int k = 0; k < payload.length; k++) {
                        payload[k] ^= mask[k & 3];
                    }
                }
                if (opcode == 0x8) {
                    synchronized (out) {
                        out.write(new byte[] {(byte) 0x88, 2, 0x03, (byte) 0xe8}); // close, 1000
                        out.flush();
                    }
                    return;
                }
                if (opcode == 0x9 && payload.length < 126) {
                    synchronized (out) {
                        out.write(0x8a);
                        out.write(payload.length);
                        out.write(payload);
                        out.flush();
                    }
                }
            }
        }

        private void ok(OutputStream out, Object body) throws IOException {
            respond(out, 200, "OK", json.writeValueAsBytes(body));
        }

        private void error(OutputStream out, int status, String code, String message) throws IOException {
            respond(out, status, "Error", json.writeValueAsBytes(new ApiError(status, code, message, null)));
        }

        private void respond(OutputStream out, int status, String reason, byte[] body) throws IOException {
            String head = "HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n";
            synchronized (out) {
                out.write(head.getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
            }
        }
    }

    private static int readByte(InputStream in) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException();
        }
        return b;
    }

    /** A CRLF-terminated ASCII line without its terminator; null at a clean end of stream. */
    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < MAX_LINE) {
            int b = in.read();
            if (b < 0) {
                if (sb.isEmpty()) {
                    return null;
                }
                throw new EOFException("end of stream inside a line");
            }
            if (b == '\n') {
                int n = sb.length();
                return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
            }
            sb.append((char) b);
        }
        throw new IOException("line longer than " + MAX_LINE);
    }

    private static Map<String, String> readHeaders(InputStream in) throws IOException {
        Map<String, String> h = new HashMap<>();
        for (int k = 0; k < MAX_HEADER_LINES; k++) {
            String line = readLine(in);
            if (line == null) {
                throw new EOFException("end of stream in the headers");
            }
            if (line.isEmpty()) {
                return h;
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                h.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
            }
        }
        throw new IOException("more than " + MAX_HEADER_LINES + " header lines");
    }

    private static void skipBody(InputStream in, Map<String, String> headers) throws IOException {
        String cl = headers.get("content-length");
        if (cl != null) {
            long n = Long.parseLong(cl.strip());
            if (n < 0 || n > ApiPaths.MAX_REQUEST_BYTES) {
                throw new IOException("bad Content-Length " + cl);
            }
            in.skipNBytes(n);
        }
    }

    private static byte[] sha1(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    /**
     * Runs a simulated fleet as a process of its own: {@code --nodes N --calls C --participants P
     * --max-seconds S}. Prints {@code READY name=port ...}, then serves until standard input closes
     * (the benchmark that started it ended) or S seconds pass, and prints what it served.
     */
    public static void main(String[] args) throws Exception {
        Map<String, Integer> opts = new HashMap<>(Map.of("--nodes", 100, "--calls", 10, "--participants", 10,
                "--max-seconds", 1800));
        for (int i = 0; i < args.length; i++) {
            if (!opts.containsKey(args[i]) || i + 1 == args.length) {
                System.err.println("usage: SimulatedFleet [--nodes N] [--calls C] [--participants P] [--max-seconds S]"
                        + " (unknown or incomplete option: " + args[i] + ")");
                System.exit(2);
            }
            try {
                opts.put(args[i], Integer.parseInt(args[++i]));
            } catch (NumberFormatException e) {
                System.err.println("SimulatedFleet: " + args[i - 1] + " needs a whole number, not " + args[i]);
                System.exit(2);
            }
        }
        PrintStream out = System.out;
        try (SimulatedFleet fleet = start(opts.get("--nodes"), opts.get("--calls"), opts.get("--participants"))) {
            StringBuilder ready = new StringBuilder("READY");
            for (Node n : fleet.nodes()) {
                ready.append(' ').append(n.name()).append('=').append(n.port());
            }
            out.println(ready);
            out.flush();
            Thread stdin = Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                    while (r.readLine() != null) {
                        // nothing to read: the end of the stream is the signal
                    }
                } catch (IOException e) {
                    // the parent is gone: same as end of stream
                }
            });
            stdin.join(TimeUnit.SECONDS.toMillis(opts.get("--max-seconds")));
            out.printf(Locale.ROOT, "SimulatedFleet: served %d requests and %d event frames%n", fleet.requests(),
                    fleet.frames());
        }
        System.exit(0);
    }
}
