package io.sfufleet.console.ui.node;

import java.time.Duration;

/** The time spans a node's charts show: the live ring in memory, or averaged history from the database. */
public enum ChartRange {
    LIVE_5_MIN("5 min (live)", Duration.ofMinutes(5), Duration.ofSeconds(1)),
    HOUR("1 h", Duration.ofHours(1), Duration.ofSeconds(10)),
    DAY("24 h", Duration.ofHours(24), Duration.ofMinutes(4));

    private final String label;
    private final Duration span;
    private final Duration bucket;

    ChartRange(String label, Duration span, Duration bucket) {
        this.label = label;
        this.span = span;
        this.bucket = bucket;
    }

    public Duration span() {
        return span;
    }

    public Duration bucket() {
        return bucket;
    }

    public boolean live() {
        return this == LIVE_5_MIN;
    }

    @Override
    public String toString() {
        return label;
    }
}
