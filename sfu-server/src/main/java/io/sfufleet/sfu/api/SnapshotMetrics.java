package io.sfufleet.sfu.api;

import io.sfufleet.model.api.NodeInfo;
import io.sfufleet.sfu.stats.Snapshots;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * A minimal {@link MetricsSource} from the latest snapshot (the node's gauges), until the node has a
 * full metrics registry.
 */
public final class SnapshotMetrics implements MetricsSource {
    private final Snapshots snapshots;

    public SnapshotMetrics(Snapshots snapshots) {
        this.snapshots = snapshots;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        NodeInfo n = snapshots.latest().node();
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        gauge(w, "sfu_ready", "1 when the node takes new calls (what /readyz answers)", n.ready() ? 1 : 0);
        gauge(w, "sfu_calls", "Calls on the node", n.calls());
        gauge(w, "sfu_participants", "Participants in the node's calls", n.participants());
        gauge(w, "sfu_tracks", "Tracks published in the node's calls", n.tracks());
        gauge(w, "sfu_process_cpu_percent", "Process CPU over the last second; 100 = one core", n.cpuPercent());
        gauge(w, "sfu_media_bytes_in_per_second", "Media bytes received per second", n.bytesInPerSecond());
        gauge(w, "sfu_media_bytes_out_per_second", "Media bytes sent per second", n.bytesOutPerSecond());
        w.flush();
    }

    private static void gauge(Writer w, String name, String help, double value) throws IOException {
        String v = value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
        w.write("# HELP " + name + " " + help + "\n# TYPE " + name + " gauge\n" + name + " " + v + "\n");
    }
}
