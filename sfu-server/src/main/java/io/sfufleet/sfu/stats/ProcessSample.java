package io.sfufleet.sfu.stats;

/**
 * One reading of {@link ProcessStats}, immutable so any thread can hold it.
 *
 * @param cpuPercent          process CPU over the last interval; 100 = one core
 * @param systemCpuPercent    whole-host CPU, 0 to 100
 * @param rssBytes            resident memory; null where the OS does not tell
 * @param openFileDescriptors null where the OS does not tell
 * @param maxFileDescriptors  null where the OS does not tell
 * @param availableProcessors CPUs the JVM may use
 */
public record ProcessSample(double cpuPercent, double systemCpuPercent, Long rssBytes, Long openFileDescriptors,
                           Long maxFileDescriptors, int availableProcessors) {
    /** Before the first reading: nothing measured yet. */
    public static final ProcessSample NONE =
            new ProcessSample(0, 0, null, null, null, Runtime.getRuntime().availableProcessors());

    /** Process CPU as a share of every CPU the JVM may use, 0 to 100. */
    public double cpuPercentOfAllProcessors() {
        return availableProcessors <= 0 ? cpuPercent : Math.min(100.0, cpuPercent / availableProcessors);
    }
}
