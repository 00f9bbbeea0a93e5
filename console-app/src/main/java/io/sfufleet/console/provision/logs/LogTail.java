package io.sfufleet.console.provision.logs;

import io.sfufleet.console.provision.ExecResult;
import io.sfufleet.console.provision.HostSession;
import io.sfufleet.console.provision.ProvisionException;
import io.sfufleet.console.provision.Shell;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Reads a node's log on its host: the journal of {@code sfu-server} where the node runs under
 * systemd, else the supervised node's {@code <prefix>/log/sfu-server.log}. The last lines, then,
 * when following, new ones until cancelled. A host without a log yet gets a message saying so
 * rather than an empty stream or a tail waiting for a file that never comes.
 */
public final class LogTail {
    /** The most lines one request may ask for: enough for any support case, small enough to stream. */
    public static final int MAX_LINES = 100_000;
    /** A longer line is cut here: one runaway line must not fill the console's memory. */
    public static final int MAX_LINE_CHARS = 16_384;
    private static final Duration T = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(200);

    private LogTail() {
    }

    /** Where a node logs. */
    public enum Kind {
        JOURNAL, FILE
    }

    /** Where this host's node logs, and how to read it. */
    public record Source(Kind kind, String where) {
    }

    /** The journal when the unit is installed and systemd runs, else the supervised node's log file. */
    public static Source source(HostSession s) {
        String unit = "test -d /run/systemd/system && test -f /etc/systemd/system/sfu-server.service";
        if (s.exec(unit, T).ok()) {
            return new Source(Kind.JOURNAL, "journalctl -u sfu-server");
        }
        return new Source(Kind.FILE, s.host().prefix() + "/log/sfu-server.log");
    }

    /** The shell command that prints the last {@code lines} (and, following, keeps printing). */
    static String command(Source src, int lines, boolean follow) {
        String read = src.kind() == Kind.JOURNAL
                ? "journalctl -u sfu-server --no-pager -q -o short-iso -n " + lines + (follow ? " -f" : "")
                : "tail -n " + lines + (follow ? " -F" : "") + " " + Shell.quote(src.where());
        if (!follow) {
            return read;
        }
        // Without a terminal, closing the channel does not stop a following tail on the host: it would
        // linger until its next write. It runs in the background while cat waits for our side to
        // close stdin (cancel closes the channel), then it is stopped.
        return "sh -c " + Shell.quote(read + " & t=$!; cat >/dev/null; kill $t 2>/dev/null; wait $t 2>/dev/null; exit 0");
    }

    /**
     * Starts reading. Fails at once, with what to do, when there is no log yet. The returned tail
     * delivers lines with {@link Tail#forEach}; {@link Tail#cancel} (from any thread) ends it.
     */
    public static Tail open(HostSession s, int lines, boolean follow) {
        if (lines < 0 || lines > MAX_LINES) {
            throw new IllegalArgumentException("the number of lines must be 0 to " + MAX_LINES + ", not " + lines);
        }
        Source src = source(s);
        String check = src.kind() == Kind.JOURNAL ? "journalctl -u sfu-server --no-pager -q -n 1 | grep -q ."
                : "test -e " + Shell.quote(src.where());
        ExecResult there = exec(s, check);
        if (!there.ok()) {
            throw new ProvisionException("no log on " + s.host().name() + " yet: "
                    + (src.kind() == Kind.JOURNAL ? "the journal has no lines of sfu-server"
                            : src.where() + " does not exist")
                    + " (the node was never started there; install it with sfu-console install "
                    + s.host().name() + " BUNDLE)");
        }
        String cmd = command(src, lines, follow);
        return new Tail(src, s.start(s.root() ? cmd : "sudo -n " + cmd), follow);
    }

    private static ExecResult exec(HostSession s, String command) {
        return s.privileged(command, T);
    }

    /** A started read of the log. */
    public static final class Tail implements AutoCloseable {
        private final Source source;
        private final HostSession.Running running;
        private final boolean follow;
        private volatile boolean cancelled;

        Tail(Source source, HostSession.Running running, boolean follow) {
            this.source = source;
            this.running = running;
            this.follow = follow;
        }

        public Source source() {
            return source;
        }

        /**
         * Hands each line to {@code consumer} on the calling thread until the log's end (not
         * following) or until {@link #cancel}; returns the number of lines delivered.
         */
        public long forEach(Consumer<String> consumer) {
            long n = 0;
            try {
                while (!cancelled) {
                    String line = running.nextLine(POLL);
                    if (line != null) {
                        consumer.accept(line.length() > MAX_LINE_CHARS
                                ? line.substring(0, MAX_LINE_CHARS) + " [cut at " + MAX_LINE_CHARS + " characters]"
                                : line);
                        n++;
                    } else if (running.finished()) {
                        Integer status = running.await(T);
                        if (!cancelled && status != null && status != 0) {
                            throw new ProvisionException("reading the log failed: `" + running.command()
                                    + "` ended with status " + status
                                    + (running.stderr().isBlank() ? "" : ": " + running.stderr().strip()));
                        }
                        break;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                close();
            }
            return n;
        }

        public boolean following() {
            return follow;
        }

        /** Ends {@link #forEach} within a poll interval; safe from any thread, more than once. */
        public void cancel() {
            cancelled = true;
        }

        @Override
        public void close() {
            cancelled = true;
            running.close();
        }
    }
}
