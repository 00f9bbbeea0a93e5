package io.sfufleet.console.monitor;

import java.time.Duration;

/**
 * How the console watches nodes.
 *
 * @param staleAfter     no event for this long and the node counts as unreachable (the node sends a
 *                       snapshot every second, so 3 s tolerates two lost ones and still alerts within 5 s)
 * @param reconnectFirst first reconnect delay; doubles up to {@code reconnectMax}
 * @param qualityEvery   how often participant figures are fetched for the quality alerts and views
 * @param maxCallsPerSweep calls fetched per sweep, so one huge node cannot flood the console
 * @param samplesKept    samples kept in memory per node (the live 5-minute charts need 300)
 */
public record MonitorSettings(Duration staleAfter, Duration reconnectFirst, Duration reconnectMax,
                              Duration qualityEvery, int maxCallsPerSweep, int samplesKept) {
    public static final MonitorSettings DEFAULTS = new MonitorSettings(Duration.ofSeconds(3),
            Duration.ofMillis(500), Duration.ofSeconds(10), Duration.ofSeconds(5), 50, 300);

    public MonitorSettings {
        if (staleAfter.toMillis() < 1000) {
            throw new IllegalArgumentException("staleAfter must be at least 1 s (the node reports every second)");
        }
        if (maxCallsPerSweep < 1 || samplesKept < 1) {
            throw new IllegalArgumentException("maxCallsPerSweep and samplesKept must be >= 1");
        }
    }
}
