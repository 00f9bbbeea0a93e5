package io.sfufleet.console.alerts;

import java.time.Duration;

/**
 * Thresholds of the alerts.
 *
 * @param cpuPercent    of all the node's CPUs (the node's own overload check uses the same measure)
 * @param lossPercent   a participant's loss on any track, sent or received
 * @param jitterMillis  a participant's jitter on any track
 * @param drainGrace    how long after its deadline a draining node may still have participants
 */
public record AlertRules(double cpuPercent, double lossPercent, double jitterMillis, Duration drainGrace) {
    public static final AlertRules DEFAULTS = new AlertRules(80, 5, 30, Duration.ofSeconds(10));

    public AlertRules {
        if (!(cpuPercent > 0 && cpuPercent <= 100)) {
            throw new IllegalArgumentException("cpuPercent must be in (0, 100], not " + cpuPercent);
        }
        if (!(lossPercent > 0 && lossPercent <= 100)) {
            throw new IllegalArgumentException("lossPercent must be in (0, 100], not " + lossPercent);
        }
        if (!(jitterMillis > 0)) {
            throw new IllegalArgumentException("jitterMillis must be positive, not " + jitterMillis);
        }
        if (drainGrace.isNegative()) {
            throw new IllegalArgumentException("drainGrace must not be negative");
        }
    }
}
