package io.sfufleet.model.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * {@code POST /api/v1/node/reload}: the node reread its configuration. An invalid file changes
 * nothing and is answered with {@link ApiError} 422 invalid_config instead.
 *
 * @param applied      dotted keys whose new values are in force now, e.g. {@code limits.max_calls}
 * @param needsRestart dotted keys that changed but take effect only after a restart, e.g. {@code media.udp_port}
 * @param unchanged    the file gives the values in force already; both lists are then empty
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReloadResult(List<String> applied, List<String> needsRestart, boolean unchanged) {
    public ReloadResult {
        applied = Validation.list("applied", applied);
        needsRestart = Validation.list("needsRestart", needsRestart);
        Validation.require(!unchanged || applied.isEmpty() && needsRestart.isEmpty(),
                "unchanged must be false when applied or needsRestart lists keys");
    }
}
