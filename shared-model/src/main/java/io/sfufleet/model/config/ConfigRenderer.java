package io.sfufleet.model.config;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Writes a configuration, or single values, as TOML. */
public final class ConfigRenderer {

    /** Stands in for a secret; the validator refuses it as a value so it cannot become a real token. */
    public static final String MASK = "<masked>";

    private ConfigRenderer() {
    }

    /** Every key's value as {@code valueOf} gives it, secrets masked: for logs and {@code --print-config}. */
    public static String render(Function<ConfigKey, Object> valueOf) {
        var out = new StringBuilder("# Effective sfu-fleet node configuration; secrets are masked.\n");
        for (ConfigKey.Section section : ConfigKey.Section.values()) {
            out.append("\n[").append(section.tomlName()).append("]\n");
            for (ConfigKey key : section.keys()) {
                Object value = valueOf.apply(key);
                out.append(key.tomlName()).append(" = ");
                if (key.isSecret() && !value.equals("")) {
                    out.append(literal(MASK)).append("  # set; supply it with ").append(key.envName());
                } else {
                    out.append(literal(value));
                }
                out.append('\n');
            }
        }
        return out.toString();
    }

    /**
     * A file a node reads: every key that is not a secret, with its value from {@code values} or its
     * default. Secrets are left out whatever {@code values} holds; they belong in the 0600 environment
     * file, where a config diff or a copied TOML file cannot leak them.
     */
    public static String renderFile(String header, Map<ConfigKey, Object> values) {
        var out = new StringBuilder();
        header.lines().forEach(line -> out.append("# ").append(line).append('\n'));
        for (ConfigKey.Section section : ConfigKey.Section.values()) {
            out.append("\n[").append(section.tomlName()).append("]\n");
            for (ConfigKey key : section.keys()) {
                if (!key.isSecret()) {
                    out.append(key.tomlName()).append(" = ").append(literal(values.getOrDefault(key, key.defaultValue())))
                            .append('\n');
                }
            }
        }
        return out.toString();
    }

    /** A value of a key, as shown in problem messages: secrets masked. */
    public static String display(ConfigKey key, Object value) {
        return key.isSecret() && !value.equals("") ? literal(MASK) : literal(value);
    }

    /** TOML literal of a String, a Number, a Boolean or a List of Strings. */
    public static String literal(Object value) {
        return switch (value) {
            case String s -> quote(s);
            case Number n -> n.toString();
            case Boolean b -> b.toString();
            case List<?> list -> list.stream().map(ConfigRenderer::literal).collect(Collectors.joining(", ", "[", "]"));
            default -> throw new IllegalArgumentException("no TOML literal for " + value.getClass());
        };
    }

    /** A TOML basic string; control characters escaped so a value never breaks a line of output. */
    public static String quote(String s) {
        var out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\u%04X", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
