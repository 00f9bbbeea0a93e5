package io.sfufleet.model.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Map;

/**
 * The body of {@code /livez} and {@code /readyz}.
 *
 * @param status ok (HTTP 200) or fail (HTTP 503)
 * @param checks check name to {@code "ok"} or the reason it fails, e.g. {@code {"cpu":"ok","state":"draining"}};
 *               sorted by name
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Health(HealthStatus status, Map<String, String> checks) {
    public Health {
        status = status == null ? HealthStatus.unknown : status;
        checks = Validation.map("checks", checks);
    }
}
