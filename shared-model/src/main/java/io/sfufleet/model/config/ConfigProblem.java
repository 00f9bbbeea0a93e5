package io.sfufleet.model.config;

import java.util.Objects;

/**
 * One thing wrong with the configuration.
 *
 * @param key     what the operator must fix: a dotted key ({@code media.udp_port}), an environment
 *                variable, or {@code config file}
 * @param value   the offending value as written in TOML (strings quoted, secrets masked)
 * @param reason  what is wrong with it
 * @param allowed what would be accepted; empty when there is nothing useful to say
 */
public record ConfigProblem(String key, String value, String reason, String allowed) {
    public ConfigProblem {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(allowed, "allowed");
    }

    /** {@code key = value: reason (allowed: ...)}, the line used in {@link ConfigException}. */
    @Override
    public String toString() {
        return key + " = " + value + ": " + reason + (allowed.isEmpty() ? "" : " (allowed: " + allowed + ")");
    }
}
