package io.sfufleet.sfu.stats;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The node's own process accounting: CPU from the JVM's process CPU time (so it is this node's
 * share, not the host's), resident memory from /proc, open descriptors from the OS bean.
 */
public final class ProcessStats {
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long lastCpuNanos = -1;
    private long lastWallNanos;
    private double cpuPercent;

    /** Samples CPU since the previous call; call about once a second. */
    public void sample() {
        long cpu = os.getProcessCpuTime();
        long wall = System.nanoTime();
        if (lastCpuNanos >= 0 && wall > lastWallNanos && cpu >= 0) {
            cpuPercent = 100.0 * (cpu - lastCpuNanos) / (wall - lastWallNanos);
        }
        lastCpuNanos = cpu;
        lastWallNanos = wall;
    }

    /** Process CPU over the last sample interval; 100 = one core busy. */
    public double cpuPercent() {
        return cpuPercent;
    }

    /** Whole-host CPU load, 0 to 100. */
    public double systemCpuPercent() {
        double l = os.getCpuLoad();
        return l < 0 ? 0 : 100.0 * l;
    }

    public long processCpuNanos() {
        return Math.max(0, os.getProcessCpuTime());
    }

    public long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    String[] p = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(p[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or /proc unreadable: fall back to the JVM's view of its memory
        }
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    public long openFileDescriptors() {
        return os instanceof com.sun.management.UnixOperatingSystemMXBean u ? u.getOpenFileDescriptorCount() : -1;
    }

    public long maxFileDescriptors() {
        return os instanceof com.sun.management.UnixOperatingSystemMXBean u ? u.getMaxFileDescriptorCount() : -1;
    }

    public int availableProcessors() {
        return Runtime.getRuntime().availableProcessors();
    }
}
