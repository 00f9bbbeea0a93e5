package io.sfufleet.sfu.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.model.signal.Join;
import io.sfufleet.model.signal.ServerMessage;
import io.sfufleet.sfu.call.CallManager;
import io.sfufleet.sfu.call.MediaContext;
import io.sfufleet.sfu.call.SignalPeer;
import io.sfufleet.sfu.dtls.DtlsCounters;
import io.sfufleet.sfu.rtp.PacketPool;
import io.sfufleet.sfu.signal.SignallingHandler;
import io.sfufleet.sfu.transport.DropCounters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/metrics.md names every sfu_ metric the node exposes, and no other. */
class MetricsDocTest {
    private static final Pattern DOCUMENTED = Pattern.compile("`(sfu_[a-z_]+)`");

    @Test
    void theDocListsExactlyTheMetrics() throws Exception {
        NodeMetrics metrics = new NodeMetrics(new DropCounters(), new DtlsCounters(), new SignallingHandler.Counters(),
                NodeMetrics.DEFAULT_MAX_CALL_SERIES);
        // one call, so that the per-call families have a series and show in the text
        CallManager manager = new CallManager(new MediaContext(null, new PacketPool(1), new DropCounters(), null, null,
                null, "127.0.0.1", 9, "doc", 10, 10, 1, 1));
        metrics.attach(manager);
        metrics.exposeReadiness(() -> true);
        manager.join(new Join(1, "doc-call", "A", null), CallSeriesBoundTest.grant("doc-call", "A"), new SignalPeer() {
            @Override
            public void send(ServerMessage message) {
            }

            @Override
            public void close() {
            }

            @Override
            public String remoteAddress() {
                return "doc";
            }
        });
        metrics.callMetrics().topCalls().update(manager.calls());

        Set<String> exposed = new TreeSet<>();
        for (String family : PrometheusText.parse(metrics.scrape()).families().keySet()) {
            if (family.startsWith("sfu_")) {
                exposed.add(family);
            }
        }
        Set<String> documented = new TreeSet<>();
        Matcher m = DOCUMENTED.matcher(Files.readString(Path.of("../docs/metrics.md")));
        while (m.find()) {
            documented.add(m.group(1));
        }
        // the doc explains why there is no family "sfu_ws_connections"
        documented.remove("sfu_ws_connections");
        assertThat(documented).isEqualTo(exposed);
    }
}
