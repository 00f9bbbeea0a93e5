package io.sfufleet.console.monitor;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sfufleet.console.fleet.NodeEntry;
import io.sfufleet.console.node.ApiJson;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiConsumer;
import okhttp3.OkHttpClient;

/** One {@link NodeMonitor} per node of the inventory, kept in step with it by {@link #sync}. */
public final class FleetMonitor implements AutoCloseable {
    private final OkHttpClient http;
    private final ScheduledExecutorService timer;
    private final ExecutorService workers;
    private final Clock clock;
    private final MonitorSettings settings;
    private final BiConsumer<String, Sample> sampleSink;
    private final ObjectMapper json = ApiJson.newMapper();
    private final Map<String, NodeMonitor> monitors = new TreeMap<>();
    private volatile List<NodeMonitor> snapshot = List.of();

    public FleetMonitor(OkHttpClient http, ScheduledExecutorService timer, ExecutorService workers, Clock clock,
                        MonitorSettings settings, BiConsumer<String, Sample> sampleSink) {
        this.http = http;
        this.timer = timer;
        this.workers = workers;
        this.clock = clock;
        this.settings = settings;
        this.sampleSink = sampleSink;
    }

    /** Starts watching new nodes, stops watching removed ones, restarts those whose address or token changed. */
    public synchronized void sync(List<NodeEntry> inventory) {
        Set<String> names = new HashSet<>();
        for (NodeEntry e : inventory) {
            names.add(e.name());
            NodeMonitor m = monitors.get(e.name());
            if (m != null && (!m.entry().apiUrl().equals(e.apiUrl())
                    || !java.util.Objects.equals(m.entry().token(), e.token()))) {
                m.close();
                m = null;
            }
            if (m == null) {
                m = new NodeMonitor(e, http, json, timer, workers, clock, settings, sampleSink);
                monitors.put(e.name(), m);
                m.start();
            }
        }
        for (var it = monitors.entrySet().iterator(); it.hasNext(); ) {
            var en = it.next();
            if (!names.contains(en.getKey())) {
                en.getValue().close();
                it.remove();
            }
        }
        snapshot = List.copyOf(monitors.values());
    }

    /** Every node's latest status, by name. Lock-free: safe once a second from the UI pulse. */
    public List<NodeStatus> statuses() {
        List<NodeMonitor> ms = snapshot;
        List<NodeStatus> out = new ArrayList<>(ms.size());
        for (NodeMonitor m : ms) {
            out.add(m.status());
        }
        return out;
    }

    public Optional<NodeMonitor> monitor(String name) {
        for (NodeMonitor m : snapshot) {
            if (m.entry().name().equals(name)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    @Override
    public synchronized void close() {
        monitors.values().forEach(NodeMonitor::close);
        monitors.clear();
        snapshot = List.of();
    }
}
