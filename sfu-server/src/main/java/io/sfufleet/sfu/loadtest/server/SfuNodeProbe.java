package io.sfufleet.sfu.loadtest.server;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sfufleet.model.api.ApiPaths;
import io.sfufleet.model.api.CallDetail;
import io.sfufleet.model.api.NodeInfo;
import io.sfufleet.model.api.ParticipantDetail;
import io.sfufleet.model.api.PublishedTrackStats;
import io.sfufleet.model.api.ReceivedTrackStats;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;

/**
 * An sfu-fleet node through its admin API (shared-model/docs/api.md): {@code GET /api/v1/node} for
 * CPU (the node's own process accounting), RSS and packet rates; {@code GET /api/v1/calls/{id}} for
 * the per-track packet counters the run's totals are checked against; {@code GET /metrics} for the
 * node's own forwarding-delay histogram.
 */
public final class SfuNodeProbe implements ServerProbe {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE)
            .build();

    private final HttpClient http;
    private final URI api;
    private final String token;

    /**
     * @param api   the admin API's base, e.g. {@code http://127.0.0.1:8045}
     * @param token {@code api.token}, or null when the node runs without one on loopback
     */
    public SfuNodeProbe(HttpClient http, URI api, String token) {
        this.http = http;
        String s = api.toString();
        this.api = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
        this.token = token;
    }

    private <T> T get(String path, Class<T> type, boolean allowNotFound) throws IOException {
        String body = getText(path, allowNotFound);
        return body == null ? null : JSON.readValue(body, type);
    }

    private String getText(String path, boolean allowNotFound) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(10)).GET();
        if (token != null && !token.isEmpty()) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading " + path, e);
        }
        if (allowNotFound && r.statusCode() == 404) {
            return null;
        }
        if (r.statusCode() != 200) {
            throw new IOException("GET " + api + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    public NodeInfo node() throws IOException {
        return get("/api/v1/node", NodeInfo.class, false);
    }

    @Override
    public ServerSample sample() throws IOException {
        NodeInfo n = node();
        return new ServerSample(n.cpuPercent(), n.rssBytes(), n.packetsInPerSecond(), n.packetsOutPerSecond(),
                n.bytesInPerSecond(), n.bytesOutPerSecond());
    }

    @Override
    public Optional<ServerTotals> totals(Collection<String> callIds) throws IOException {
        long in = 0;
        long inBytes = 0;
        long out = 0;
        long outBytes = 0;
        int participants = 0;
        for (String id : callIds) {
            CallDetail c = get("/api/v1/calls/" + URLEncoder.encode(id, StandardCharsets.UTF_8), CallDetail.class, true);
            if (c == null) {
                continue;
            }
            for (ParticipantDetail p : c.participants()) {
                participants++;
                for (PublishedTrackStats t : p.published()) {
                    in += t.packets();
                    inBytes += t.bytes();
                }
                for (ReceivedTrackStats t : p.received()) {
                    out += t.packets();
                    outBytes += t.bytes();
                }
            }
        }
        return Optional.of(new ServerTotals(in, inBytes, out, outBytes, participants));
    }

    /** The node's {@code sfu_forwarding_delay_seconds} from its Prometheus metrics. */
    @Override
    public Optional<ServerDelay> forwardingDelay() throws IOException {
        return Optional.ofNullable(ServerDelay.parse(getText(ApiPaths.METRICS, false), "sfu_forwarding_delay_seconds"));
    }

    @Override
    public String describe() {
        try {
            NodeInfo n = node();
            return "sfu-fleet node " + n.version() + " (" + n.nodeName() + ", " + n.availableProcessors() + " CPUs)";
        } catch (IOException e) {
            return "sfu-fleet node at " + api;
        }
    }
}
