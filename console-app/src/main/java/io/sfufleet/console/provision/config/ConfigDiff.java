package io.sfufleet.console.provision.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.sfufleet.model.config.ConfigKey;
import io.sfufleet.model.config.ConfigReader;
import io.sfufleet.model.config.ConfigRenderer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Key-level difference between a host's sfu.toml and the file the console would write: changed
 * (old to new), added, removed, and keys the host has that the server does not know (a node refuses
 * those, so a push removes them). Each change of a known key says whether the node needs a restart
 * for it; a key missing from a file counts as its default for that.
 *
 * @param changes       in the server's table order, then unknown keys in file order
 * @param hostUnreadable why the host's file could not be parsed, or null; then everything is new
 */
public record ConfigDiff(List<Change> changes, String hostUnreadable) {
    private static final TomlMapper TOML = new TomlMapper();

    public ConfigDiff {
        changes = List.copyOf(changes);
    }

    public enum Kind { CHANGED, ADDED, REMOVED, UNKNOWN_ON_HOST }

    /**
     * @param before the host's value as a TOML literal, null when it has none
     * @param after  the console's value, null when it has none
     * @param takesEffect the value the node uses changes (a key added with its default value does not)
     * @param needsRestart it takes effect and the key is not applied by a reload
     */
    public record Change(String key, Kind kind, String before, String after, boolean takesEffect,
            boolean needsRestart) {
        @Override
        public String toString() {
            return switch (kind) {
                case CHANGED -> key + ": " + before + " -> " + after;
                case ADDED -> key + ": (not set, default " + ConfigKey.ofKey(key).map(ConfigKey::defaultLiteral)
                        .orElse("?") + ") -> " + after;
                case REMOVED -> key + ": " + before + " -> (not set, default " + ConfigKey.ofKey(key)
                        .map(ConfigKey::defaultLiteral).orElse("?") + ")";
                case UNKNOWN_ON_HOST -> key + ": unknown key on the host (" + before + "), removed";
            } + (needsRestart ? "  [needs a restart]" : "");
        }
    }

    /** {@code hostToml} as it is on the host (empty when the file is missing) against {@code desiredToml}. */
    public static ConfigDiff between(String hostToml, String desiredToml) {
        Map<String, JsonNode> desired = flatten(desiredToml).orElseThrow(() ->
                new IllegalArgumentException("the console's own config does not parse: " + desiredToml));
        Map<String, JsonNode> host;
        String unreadable = null;
        try {
            host = flattenOrThrow(hostToml);
        } catch (JacksonException e) {
            host = Map.of();
            unreadable = "not valid TOML: " + e.getOriginalMessage();
        }
        var changes = new ArrayList<Change>();
        for (ConfigKey key : ConfigKey.values()) {
            JsonNode before = host.get(key.key());
            JsonNode after = desired.get(key.key());
            if (before == null && after == null) {
                continue;
            }
            String b = before == null ? null : shown(key, before);
            String a = after == null ? null : shown(key, after);
            if (before != null && after != null && literal(before).equals(literal(after))) {
                continue;
            }
            String effectiveBefore = before == null ? key.defaultLiteral() : literal(before);
            String effectiveAfter = after == null ? key.defaultLiteral() : literal(after);
            boolean effect = unreadable != null || !effectiveBefore.equals(effectiveAfter);
            Kind kind = before == null ? Kind.ADDED : after == null ? Kind.REMOVED : Kind.CHANGED;
            changes.add(new Change(key.key(), kind, b, a, effect, effect && !key.isHot()));
        }
        for (String name : host.keySet()) {
            if (ConfigKey.ofKey(name).isEmpty()) {
                changes.add(new Change(name, Kind.UNKNOWN_ON_HOST, ConfigReader.NOT_SHOWN, null, false, false));
            }
        }
        return new ConfigDiff(changes, unreadable);
    }

    public boolean isEmpty() {
        return changes.isEmpty() && hostUnreadable == null;
    }

    /** Some change takes effect only after a restart (or the host's file could not be read at all). */
    public boolean needsRestart() {
        return hostUnreadable != null || changes.stream().anyMatch(Change::needsRestart);
    }

    /** The dotted keys whose value the node uses changes: what a reload must report as applied. */
    public List<String> effectiveKeys() {
        return changes.stream().filter(Change::takesEffect).map(Change::key).toList();
    }

    /** One line per change, or "no changes". */
    public List<String> lines() {
        var lines = new ArrayList<String>();
        if (hostUnreadable != null) {
            lines.add("the host's sfu.toml is " + hostUnreadable + "; it will be replaced as a whole (restart)");
        }
        changes.forEach(c -> lines.add(c.toString()));
        if (lines.isEmpty()) {
            lines.add("no changes");
        }
        return lines;
    }

    @Override
    public String toString() {
        return String.join("\n", lines());
    }

    private static Optional<Map<String, JsonNode>> flatten(String toml) {
        try {
            return Optional.of(flattenOrThrow(toml));
        } catch (JacksonException e) {
            return Optional.empty();
        }
    }

    /** {@code section.key -> value}; a value outside a table keeps its bare name (and is unknown). */
    private static Map<String, JsonNode> flattenOrThrow(String toml) throws JacksonException {
        var out = new LinkedHashMap<String, JsonNode>();
        JsonNode root = toml.isBlank() ? null : TOML.readTree(toml);
        if (root == null || !root.isObject()) {
            return out;
        }
        for (Map.Entry<String, JsonNode> top : root.properties()) {
            if (top.getValue().isObject()) {
                for (Map.Entry<String, JsonNode> e : top.getValue().properties()) {
                    out.put(top.getKey() + "." + e.getKey(), e.getValue());
                }
            } else {
                out.put(top.getKey(), top.getValue());
            }
        }
        return out;
    }

    /** The value as TOML, for comparing: strings quoted, so "8443" and 8443 differ. */
    private static String literal(JsonNode node) {
        if (node.isTextual()) {
            return ConfigRenderer.quote(node.textValue());
        } else if (node.isArray()) {
            var parts = new ArrayList<String>();
            node.forEach(n -> parts.add(literal(n)));
            return "[" + String.join(", ", parts) + "]";
        }
        return node.toString();
    }

    /** As {@link #literal}, secrets masked (a hand-edited host file may hold one). */
    private static String shown(ConfigKey key, JsonNode node) {
        return key.isSecret() && !(node.isTextual() && node.textValue().isEmpty())
                ? ConfigRenderer.quote(ConfigRenderer.MASK) : literal(node);
    }
}
