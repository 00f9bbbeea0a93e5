package io.sfufleet.sfu.config;

import io.sfufleet.model.config.ConfigKey;
import io.sfufleet.model.config.ConfigRenderer;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a reload changes: every key, by dotted name in table order, sorted into applied at once
 * ({@link ConfigKey.Reload#HOT}), waiting for a restart, or unchanged. Secrets are compared like any
 * other value, but {@link #toString()} never shows them.
 *
 * <p>Values are compared as loaded, automatic ones resolved: a node name taken from a host name
 * that changed, or a newly detected ICE address, counts as a change.
 */
public final class ConfigChange {
    private final List<String> applied;
    private final List<String> needsRestart;
    private final List<String> unchanged;
    /** One "key = old -> new" per changed key, secrets masked; only for {@link #toString()}. */
    private final List<String> lines;

    private ConfigChange(List<String> applied, List<String> needsRestart, List<String> unchanged, List<String> lines) {
        this.applied = List.copyOf(applied);
        this.needsRestart = List.copyOf(needsRestart);
        this.unchanged = List.copyOf(unchanged);
        this.lines = List.copyOf(lines);
    }

    /** Compares the configuration a node runs with ({@code old}) with a freshly loaded one. */
    public static ConfigChange between(SfuConfig old, SfuConfig next) {
        Objects.requireNonNull(old, "old");
        Objects.requireNonNull(next, "next");
        var applied = new ArrayList<String>();
        var needsRestart = new ArrayList<String>();
        var unchanged = new ArrayList<String>();
        var lines = new ArrayList<String>();
        for (ConfigKey key : ConfigKey.values()) {
            Object before = old.value(key);
            Object after = next.value(key);
            if (before.equals(after)) {
                unchanged.add(key.key());
                continue;
            }
            (key.isHot() ? applied : needsRestart).add(key.key());
            lines.add(key.key() + " = " + ConfigRenderer.display(key, before) + " -> " + ConfigRenderer.display(key, after)
                    + (key.isHot() ? "" : " (needs a restart)"));
        }
        return new ConfigChange(applied, needsRestart, unchanged, lines);
    }

    /** Changed keys a running node applies at once, e.g. {@code limits.max_calls}. */
    public List<String> applied() {
        return applied;
    }

    /** Changed keys that take effect only after a restart, e.g. {@code media.udp_port}. */
    public List<String> needsRestart() {
        return needsRestart;
    }

    /** Keys with the same value in both configurations. */
    public List<String> unchanged() {
        return unchanged;
    }

    /** Nothing changed at all. */
    public boolean isEmpty() {
        return applied.isEmpty() && needsRestart.isEmpty();
    }

    /**
     * For the log line of a reload: one {@code key = old -> new} per changed key, secrets shown as
     * {@code "<masked>"} (or {@code ""} when unset), so a log tells that a token changed but not to what.
     */
    @Override
    public String toString() {
        if (isEmpty()) {
            return "configuration unchanged";
        }
        return "configuration changed: " + applied.size() + " applied, " + needsRestart.size() + " need a restart\n"
                + String.join("\n", lines);
    }
}
