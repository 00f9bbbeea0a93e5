package io.sfufleet.console.provision;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.security.SecureRandom;

/**
 * The checklist before an install, one verdict per line with what to do. It only reads on the host,
 * except for a listener it runs for a few seconds to test that the media port is reachable from the
 * console over UDP and TCP (the seeds' {@code nc} test, automated). The listener is Perl, which every
 * Debian and Ubuntu host has ({@code perl-base} is Essential), unlike {@code nc}, {@code socat} or Python.
 */
public final class Preflight {
    private static final Duration T = Duration.ofSeconds(60);
    /** How long the host's listener lives at most; the console's probes take a few seconds. */
    private static final int LISTENER_SECONDS = 20;
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);
    private static final int UDP_TRIES = 3;

    private static final String LISTENER = """
            use strict; use IO::Socket::INET; use IO::Select;
            my ($a, $p, $secs) = @ARGV; $| = 1; alarm $secs;
            my $u = IO::Socket::INET->new(LocalAddr => $a, LocalPort => $p, Proto => "udp")
                or do { print "BIND-FAILED udp $!\\n"; exit 2 };
            my $t = IO::Socket::INET->new(LocalAddr => $a, LocalPort => $p, Proto => "tcp", Listen => 1, ReuseAddr => 1)
                or do { print "BIND-FAILED tcp $!\\n"; exit 2 };
            print "READY\\n";
            my $s = IO::Select->new($u, $t); my ($gu, $gt) = (0, 0);
            while (!($gu && $gt)) {
                for my $h ($s->can_read(1)) {
                    if ($h == $u) { my $b; my $peer = $u->recv($b, 512);
                        if (defined $peer) { $u->send("ACK $b", 0, $peer); $gu = 1; print "UDP\\n"; } }
                    else { my $c = $t->accept or next; my $l = <$c>; print $c "ACK $l"; close $c; $gt = 1; print "TCP\\n"; }
                }
            }
            """;

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public Preflight(Clock clock) {
        this.clock = clock;
    }

    /** Runs every check; never throws for a failed check, only when the host cannot be talked to. */
    public List<Check> run(HostSession s, PreflightSpec spec) {
        Map<String, String> facts = facts(s, s.host().prefix());
        List<Check> out = new ArrayList<>();
        out.add(os(facts));
        out.add(systemd(facts));
        out.add(privileges(s, facts));
        out.add(disk(facts, spec));
        List<ProcNet.Bound> tcp = ProcNet.parse(section(s, "cat /proc/net/tcp /proc/net/tcp6 2>/dev/null"), true);
        List<ProcNet.Bound> udp = ProcNet.parse(section(s, "cat /proc/net/udp /proc/net/udp6 2>/dev/null"), false);
        Check mediaUdp = port("media port " + spec.mediaPort() + "/udp free", udp, spec, spec.mediaPort());
        Check mediaTcp = port("media port " + spec.mediaPort() + "/tcp free", tcp, spec, spec.mediaPort());
        out.add(mediaUdp);
        out.add(mediaTcp);
        out.add(port("API port " + spec.apiPort() + "/tcp free", tcp, spec, spec.apiPort()));
        out.add(buffer("net.core.rmem_max", facts.get("rmem")));
        out.add(buffer("net.core.wmem_max", facts.get("wmem")));
        out.add(clock(s));
        if (mediaUdp.verdict() == Verdict.FAIL || mediaTcp.verdict() == Verdict.FAIL) {
            String todo = "free the media port first, then run the preflight again";
            out.add(Check.fail("media port reachable over UDP", "not tested: the port is in use on the host", todo));
            out.add(Check.fail("media port reachable over TCP", "not tested: the port is in use on the host", todo));
        } else {
            out.addAll(reachability(s, spec, facts));
        }
        return out;
    }

    private static Map<String, String> facts(HostSession s, String prefix) {
        String script = String.join("\n",
                "echo \"kernel=$(uname -s)\"",
                "echo \"arch=$(uname -m)\"",
                "if [ -r /etc/os-release ]; then . /etc/os-release; echo \"os=$PRETTY_NAME\"; fi",
                "if [ -d /run/systemd/system ]; then echo systemd=yes; else echo systemd=no; fi",
                "p=" + Shell.quote(prefix) + "; while [ ! -e \"$p\" ]; do p=$(dirname \"$p\"); done",
                "echo \"diskdir=$p\"",
                "echo \"diskfree=$(df -Pk \"$p\" | awk 'NR==2 {print $4}')\"",
                "echo \"rmem=$(cat /proc/sys/net/core/rmem_max 2>/dev/null)\"",
                "echo \"wmem=$(cat /proc/sys/net/core/wmem_max 2>/dev/null)\"",
                "if [ \"$(id -u)\" = 0 ]; then echo sudo=root; elif sudo -n true 2>/dev/null; then echo sudo=yes;"
                        + " else echo sudo=no; fi",
                "echo \"perl=$(command -v perl)\"");
        Map<String, String> facts = new HashMap<>();
        for (String line : s.exec(script, T).require().split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                facts.put(line.substring(0, eq), line.substring(eq + 1).strip());
            }
        }
        return facts;
    }

    private static String section(HostSession s, String command) {
        return s.exec(command, T).stdout();
    }

    static Check os(Map<String, String> f) {
        String name = "OS and architecture";
        String found = f.getOrDefault("os", "unknown OS") + ", " + f.get("kernel") + " " + f.get("arch");
        if (!"Linux".equals(f.get("kernel"))) {
            return Check.fail(name, found, "the node runs on Linux only");
        }
        if (!"x86_64".equals(f.get("arch"))) {
            return Check.fail(name, found, "the offline bundle is linux-x64: use an x86_64 host");
        }
        return Check.ok(name, found);
    }

    static Check systemd(Map<String, String> f) {
        String name = "systemd";
        if ("yes".equals(f.get("systemd"))) {
            return Check.ok(name, "running: the node gets a systemd unit and a sysctl drop-in");
        }
        return Check.warn(name, "not running on this host",
                "the node will be started supervised with a PID file instead: it is not restarted after a crash"
                        + " or a reboot, and the sysctl buffer sizes are not applied for you");
    }

    static Check privileges(HostSession s, Map<String, String> f) {
        String name = "root or sudo";
        return switch (f.getOrDefault("sudo", "no")) {
            case "root" -> Check.ok(name, "logged in as root");
            case "yes" -> Check.ok(name, s.host().user() + " has passwordless sudo");
            default -> Check.warn(name, s.host().user() + " has no passwordless sudo",
                    "the systemd unit, the sysctl drop-in and a prefix outside the user's home need root: "
                            + "add '" + s.host().user() + " ALL=(ALL) NOPASSWD: ALL' under /etc/sudoers.d/ "
                            + "or log in as root");
        };
    }

    static Check disk(Map<String, String> f, PreflightSpec spec) {
        String name = "free disk";
        long kb;
        try {
            kb = Long.parseLong(f.getOrDefault("diskfree", ""));
        } catch (NumberFormatException e) {
            return Check.fail(name, "df printed no free space for " + f.get("diskdir"), "check df -Pk on the host");
        }
        long free = kb * 1024;
        String found = mib(free) + " free on " + f.get("diskdir");
        if (free < spec.requiredDiskBytes()) {
            return Check.fail(name, found, "an install needs " + mib(spec.requiredDiskBytes())
                    + ": free space there or choose another prefix");
        }
        if (free < 2 * spec.requiredDiskBytes()) {
            return Check.warn(name, found, "enough for this install but not for the next upgrade next to it ("
                    + mib(2 * spec.requiredDiskBytes()) + ")");
        }
        return Check.ok(name, found);
    }

    static Check port(String name, List<ProcNet.Bound> bound, PreflightSpec spec, int port) {
        var wanted = spec.bind();
        for (ProcNet.Bound b : bound) {
            if (b.collidesWith(wanted, port)) {
                return Check.fail(name, "in use by a socket on " + b.address().getHostAddress() + ":" + b.port(),
                        "stop what uses it (ss -lntup on the host shows the process) or choose another port");
            }
        }
        return Check.ok(name, "free on " + spec.bindAddress());
    }

    static Check buffer(String key, String value) {
        long v;
        try {
            v = Long.parseLong(value == null ? "" : value);
        } catch (NumberFormatException e) {
            return Check.warn(key, "unreadable", "check /proc/sys/" + key.replace('.', '/'));
        }
        if (v >= PreflightSpec.SOCKET_BUFFER_BYTES) {
            return Check.ok(key, String.valueOf(v));
        }
        return Check.warn(key, v + ", below " + PreflightSpec.SOCKET_BUFFER_BYTES,
                "bursts of video may be dropped: the install writes a sysctl drop-in where systemd runs; "
                        + "else run sysctl -w " + key + "=" + PreflightSpec.SOCKET_BUFFER_BYTES + " as root");
    }

    /** The host's clock against the console's, from the midpoint of a round trip; uncertain by half of it. */
    private Check clock(HostSession s) {
        String name = "clock offset";
        long t0 = clock.millis();
        String out = s.exec("date +%s%N", T).require().strip();
        long t1 = clock.millis();
        long hostMillis;
        try {
            hostMillis = Long.parseLong(out) / 1_000_000L;
        } catch (NumberFormatException e) {
            return Check.warn(name, "date +%s%N printed " + out, "the host's date lacks %N; check its clock by hand");
        }
        long offset = hostMillis - (t0 + t1) / 2;
        long uncertainty = (t1 - t0 + 1) / 2;
        String found = (offset >= 0 ? "+" : "") + offset + " ms (±" + uncertainty + " ms)";
        long abs = Math.max(0, Math.abs(offset) - uncertainty);
        if (abs <= 500) {
            return Check.ok(name, found);
        }
        String todo = "run NTP on the host (systemd-timesyncd or chrony): join tokens and certificates are checked "
                + "against its clock";
        return abs <= 5000 ? Check.warn(name, found, todo) : Check.fail(name, found, todo);
    }

    private List<Check> reachability(HostSession s, PreflightSpec spec, Map<String, String> facts) {
        String udpName = "media port reachable over UDP";
        String tcpName = "media port reachable over TCP";
        if (facts.getOrDefault("perl", "").isEmpty()) {
            String todo = "test by hand: nc -lu " + spec.mediaPort() + " on the host, nc -u "
                    + spec.reachAddress() + " " + spec.mediaPort() + " here";
            return List.of(Check.warn(udpName, "not tested: no perl on the host", todo),
                    Check.warn(tcpName, "not tested: no perl on the host", todo));
        }
        String command = "perl -e " + Shell.quote(LISTENER) + " " + Shell.quote(spec.bindAddress()) + " "
                + spec.mediaPort() + " " + LISTENER_SECONDS;
        try (HostSession.Running listener = s.start(command)) {
            String first = listener.nextLine(Duration.ofSeconds(LISTENER_SECONDS));
            if (first == null || !first.equals("READY")) {
                String why = first == null ? "no answer" + (listener.stderr().isBlank() ? "" : ": " + listener.stderr())
                        : first;
                String todo = "check that nothing else binds " + spec.bindAddress() + ":" + spec.mediaPort();
                return List.of(Check.fail(udpName, "the test listener did not start: " + why, todo),
                        Check.fail(tcpName, "the test listener did not start: " + why, todo));
            }
            String where = spec.reachAddress() + ":" + spec.mediaPort();
            Check udp = udpProbe(udpName, spec, where);
            Check tcp = tcpProbe(tcpName, spec, where);
            return List.of(udp, tcp);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProvisionException("interrupted during the reachability test", e);
        }
    }

    private Check udpProbe(String name, PreflightSpec spec, String where) {
        String nonce = nonce();
        byte[] send = ("sfu-preflight " + nonce).getBytes(StandardCharsets.US_ASCII);
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout((int) PROBE_TIMEOUT.toMillis());
            InetSocketAddress to = new InetSocketAddress(spec.reachAddress(), spec.mediaPort());
            for (int i = 0; i < UDP_TRIES; i++) {
                socket.send(new DatagramPacket(send, send.length, to));
                byte[] buf = new byte[512];
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    socket.receive(p);
                } catch (SocketTimeoutException e) {
                    continue;
                }
                String got = new String(buf, 0, p.getLength(), StandardCharsets.US_ASCII);
                if (got.equals("ACK sfu-preflight " + nonce)) {
                    return Check.ok(name, "a datagram to " + where + " came back");
                }
            }
        } catch (IOException e) {
            return Check.fail(name, "sending to " + where + " failed: " + e.getMessage(), udpTodo(spec));
        }
        return Check.fail(name, "no answer from " + where + " in " + UDP_TRIES + " tries", udpTodo(spec));
    }

    private static String udpTodo(PreflightSpec spec) {
        return "open UDP " + spec.mediaPort() + " in the host's and the network's firewalls (and any NAT), "
                + "or set the node's public address";
    }

    private Check tcpProbe(String name, PreflightSpec spec, String where) {
        String nonce = nonce();
        String todo = "open TCP " + spec.mediaPort() + " in the host's and the network's firewalls (clients behind "
                + "UDP-blocking networks fall back to it)";
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(spec.reachAddress(), spec.mediaPort()),
                    (int) PROBE_TIMEOUT.toMillis());
            socket.setSoTimeout((int) PROBE_TIMEOUT.toMillis());
            OutputStream o = socket.getOutputStream();
            o.write(("sfu-preflight " + nonce + "\n").getBytes(StandardCharsets.US_ASCII));
            o.flush();
            InputStream in = socket.getInputStream();
            String got = new String(in.readNBytes(64), StandardCharsets.US_ASCII).strip();
            if (got.equals("ACK sfu-preflight " + nonce)) {
                return Check.ok(name, "a connection to " + where + " was answered");
            }
            return Check.fail(name, "something else answered on " + where + ": " + got, todo);
        } catch (IOException e) {
            return Check.fail(name, "connecting to " + where + " failed: " + e.getMessage(), todo);
        }
    }

    private String nonce() {
        byte[] b = new byte[8];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static String mib(long bytes) {
        return (bytes / (1024 * 1024)) + " MiB";
    }
}
