package io.sfufleet.console.provision;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Whether the node a host was just told to start is still running, read over SSH every couple of
 * seconds while the console waits for its {@code /readyz}. A node that cannot start (its port is
 * taken, its config is refused) exits at once; without this the console would wait the whole ready
 * timeout, minutes per broken host, for an answer that cannot come.
 *
 * <p>Only positive evidence counts as an exit: a process of the PID file that is gone (or a zombie),
 * or systemd saying the unit failed, is waiting to be restarted, or was restarted since the watch
 * began. Anything else (no PID file, an SSH command that failed) leaves the ready timeout in charge.
 */
public final class NodeProcess {
    /** How often the host is asked: each reading is one SSH command. */
    static final Duration EVERY = Duration.ofSeconds(2);
    private static final Duration T = Duration.ofSeconds(60);
    /** What sfu-server's Main prints before it exits when a listener cannot bind. */
    private static final String CANNOT_START = "cannot start: ";

    private final HostSession session;
    private final Installer.StartMode mode;
    private final Reading baseline;
    private long nextRead;

    private NodeProcess(HostSession session, Installer.StartMode mode) {
        this.session = session;
        this.mode = mode;
        this.baseline = read();
        this.nextRead = System.nanoTime() + EVERY.toNanos();
    }

    /** Starts watching the node of {@code s}'s host, started the way the installer starts it there. */
    public static NodeProcess watch(HostSession s) {
        return new NodeProcess(s, Installer.startModeOf(s));
    }

    /**
     * Null while the node runs (or nothing can be told); once it has exited since the watch began,
     * what says so, e.g. "PID 4242 of .../run/sfu-server.pid is gone". Asks the host at most every
     * {@link #EVERY}; in between it answers null at once.
     */
    public String exited() {
        if (baseline.exited()) {
            return baseline.detail();
        }
        long now = System.nanoTime();
        if (now < nextRead) {
            return null;
        }
        nextRead = now + EVERY.toNanos();
        Reading r = read();
        return r.exited() || r.restarts() > baseline.restarts() ? r.detail() : null;
    }

    /**
     * The node's own reason for not starting when the log's tail ends with it (sfu-server's one line
     * "cannot start: client HTTP port 10.0.0.5:8080 (http.port) is in use ..."), else null. Only the
     * last line counts: the log keeps the lines of earlier starts.
     */
    public static String startFailure(String logTail) {
        String last = logTail.strip().lines().reduce((a, b) -> b).orElse("");
        int at = last.indexOf(CANNOT_START);
        return at < 0 ? null : last.substring(at + CANNOT_START.length()).strip();
    }

    /** The node's log's last {@code lines}: its log file, or the journal under systemd. */
    public String logTail(int lines) {
        return logTail(session, mode, lines);
    }

    static String logTail(HostSession s, Installer.StartMode mode, int lines) {
        String file = Shell.quote(s.host().prefix()) + "/log/sfu-server.log";
        String cmd = mode == Installer.StartMode.SYSTEMD
                ? "journalctl -u sfu-server.service -n " + lines + " --no-pager -o cat 2>/dev/null"
                : "tail -n " + lines + " " + file + " 2>/dev/null";
        try {
            return s.exec(cmd, T).stdout().strip();
        } catch (ProvisionException e) {
            return "";  // the connection is gone too; callers still say where the log is
        }
    }

    /** One look at the node: whether it has exited, systemd's restart count (0 without systemd), and why. */
    record Reading(boolean exited, long restarts, String detail) {
        static final Reading UNKNOWN = new Reading(false, 0, "unknown");
    }

    private Reading read() {
        try {
            ExecResult r = session.privileged(command(mode, session.host().prefix()), T);
            return r.ok() ? parse(mode, session.host().prefix(), r.stdout()) : Reading.UNKNOWN;
        } catch (ProvisionException e) {
            return Reading.UNKNOWN;  // a dropped connection says nothing about the node
        }
    }

    /** The shell command whose output {@link #parse} reads. */
    static String command(Installer.StartMode mode, String prefix) {
        if (mode == Installer.StartMode.SYSTEMD) {
            return "systemctl show sfu-server.service -p ActiveState -p SubState -p NRestarts -p ExecMainStatus";
        }
        // /proc/PID/stat's state after the command name: Z (zombie) or X (dead) is an exited process
        // whose parent has not reaped it yet (setsid's node is reparented to whatever init the host has)
        return String.join("\n",
                "pid=$(cat " + Shell.quote(prefix) + "/run/sfu-server.pid 2>/dev/null) || true",
                "case \"$pid\" in ''|*[!0-9]*) echo unknown; exit 0;; esac",
                "state=$(sed 's/^.*) //' /proc/$pid/stat 2>/dev/null | cut -c1)",
                "case \"$state\" in ''|Z|X) echo \"exited $pid\";; *) echo \"running $pid\";; esac", "");
    }

    static Reading parse(Installer.StartMode mode, String prefix, String out) {
        if (mode == Installer.StartMode.SYSTEMD) {
            Map<String, String> p = new LinkedHashMap<>();
            for (String line : out.strip().split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    p.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
                }
            }
            String active = p.getOrDefault("ActiveState", "");
            String sub = p.getOrDefault("SubState", "");
            long restarts;
            try {
                restarts = Long.parseLong(p.getOrDefault("NRestarts", "0"));
            } catch (NumberFormatException e) {
                restarts = 0;
            }
            boolean exited = active.equals("failed") || active.equals("inactive") || sub.equals("auto-restart");
            return new Reading(exited, restarts, "systemd reports sfu-server.service " + active + " (" + sub
                    + "), exit status " + p.getOrDefault("ExecMainStatus", "?") + ", restarted " + restarts + " times");
        }
        String[] w = out.strip().split(" ");
        if (w.length == 2 && w[0].equals("exited")) {
            return new Reading(true, 0, "PID " + w[1] + " of " + prefix + "/run/sfu-server.pid is gone");
        }
        return new Reading(false, 0, out.strip());
    }
}
