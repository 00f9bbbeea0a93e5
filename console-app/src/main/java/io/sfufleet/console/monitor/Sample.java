package io.sfufleet.console.monitor;

import io.sfufleet.model.api.NodeInfo;

/** One second of a node's figures, as charted and stored in the history. Rates are per second. */
public record Sample(long atMillis, double cpuPercent, long rssBytes, long bytesInPerSecond, long bytesOutPerSecond,
                     long packetsInPerSecond, long packetsOutPerSecond, int calls, int participants) {

    public static Sample of(long atMillis, NodeInfo n) {
        return new Sample(atMillis, n.cpuPercent(), n.rssBytes() == null ? 0 : n.rssBytes(), n.bytesInPerSecond(),
                n.bytesOutPerSecond(), n.packetsInPerSecond(), n.packetsOutPerSecond(), n.calls(), n.participants());
    }

    public double mbpsIn() {
        return bytesInPerSecond * 8 / 1e6;
    }

    public double mbpsOut() {
        return bytesOutPerSecond * 8 / 1e6;
    }
}
