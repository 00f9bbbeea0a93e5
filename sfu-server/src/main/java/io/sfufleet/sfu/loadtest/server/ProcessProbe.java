package io.sfufleet.sfu.loadtest.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Optional;

/**
 * Any server process on this Linux machine, by pid, from {@code /proc}: CPU from utime + stime
 * between two samples (clock ticks, 100 per second on Linux), RSS from {@code VmRSS}. For servers
 * that do not report their own load (Janus); it keeps no packet counters.
 */
public final class ProcessProbe implements ServerProbe {
    /** USER_HZ: 100 on every Linux architecture the JDK runs on. */
    private static final double TICKS_PER_SECOND = 100.0;

    private final long pid;
    private final String name;
    private long lastTicks = -1;
    private long lastNanos;

    public ProcessProbe(long pid, String name) throws IOException {
        this.pid = pid;
        this.name = name;
        if (!Files.exists(Path.of("/proc", Long.toString(pid), "stat"))) {
            throw new IOException("no process " + pid + " (" + name + ") in /proc");
        }
        ticks();
    }

    private long ticks() throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // The command name (field 2) may hold spaces and parentheses; fields after its last ')' are plain.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        long utime = Long.parseLong(f[11]);
        long stime = Long.parseLong(f[12]);
        return utime + stime;
    }

    private Long rss() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                String[] f = line.substring(6).trim().split("\\s+");
                return Long.parseLong(f[0]) * 1024;
            }
        }
        return null;
    }

    /** CPU since the previous sample (the first one: since construction). */
    @Override
    public synchronized ServerSample sample() throws IOException {
        long now = System.nanoTime();
        long t = ticks();
        double cpu = 0;
        if (lastTicks >= 0 && now > lastNanos) {
            cpu = 100.0 * (t - lastTicks) / TICKS_PER_SECOND / ((now - lastNanos) / 1e9);
        }
        lastTicks = t;
        lastNanos = now;
        return new ServerSample(cpu, rss(), null, null, null, null);
    }

    @Override
    public Optional<ServerTotals> totals(Collection<String> callIds) {
        return Optional.empty();
    }

    @Override
    public String describe() {
        return name + " (pid " + pid + ")";
    }
}
