package io.sfufleet.sfu.api;

import java.io.IOException;
import java.io.OutputStream;

/** What {@code GET /metrics} serves: the node's metrics in the Prometheus text format. */
public interface MetricsSource {
    /** The Prometheus text exposition format, version 0.0.4. */
    String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    default String contentType() {
        return PROMETHEUS_TEXT;
    }

    /** Writes every metric; called on the admin listener's thread for each scrape. */
    void writeTo(OutputStream out) throws IOException;
}
