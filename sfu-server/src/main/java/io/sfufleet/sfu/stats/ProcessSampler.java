package io.sfufleet.sfu.stats;

/**
 * Reads {@link ProcessStats} about once a second, off the media loop (reading /proc and counting
 * descriptors is file I/O), and keeps the latest {@link ProcessSample} for any thread.
 */
public final class ProcessSampler implements Runnable {
    private final ProcessStats stats;
    private volatile ProcessSample latest = ProcessSample.NONE;

    public ProcessSampler(ProcessStats stats) {
        this.stats = stats;
    }

    /** Takes a reading; run it on one thread at a fixed rate. */
    @Override
    public void run() {
        stats.sample();
        long rss = stats.rssBytes();
        long fds = stats.openFileDescriptors();
        long maxFds = stats.maxFileDescriptors();
        latest = new ProcessSample(nonNegative(stats.cpuPercent()), Math.min(100, nonNegative(stats.systemCpuPercent())),
                rss < 0 ? null : rss, fds < 0 ? null : fds, maxFds < 0 ? null : maxFds, stats.availableProcessors());
    }

    public ProcessSample latest() {
        return latest;
    }

    private static double nonNegative(double v) {
        return Double.isFinite(v) && v > 0 ? v : 0;
    }
}
