package io.sfufleet.sfu.config;

import java.util.List;
import java.util.stream.Collectors;

/** Writes a configuration, or single values, as TOML. */
final class ConfigRenderer {

    /** Stands in for a secret; the validator refuses it as a value so it cannot become a real token. */
    static final String MASK = "<masked>";

    private ConfigRenderer() {
    }

    static String render(SfuConfig config) {
        var out = new StringBuilder("# Effective sfu-fleet node configuration; secrets are masked.\n");
        for (ConfigKey.Section section : ConfigKey.Section.values()) {
            out.append("\n[").append(section.tomlName()).append("]\n");
            for (ConfigKey key : section.keys()) {
                Object value = key.valueIn(config);
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

    /** A value of a key, as shown in problem messages: secrets masked. */
    static String display(ConfigKey key, Object value) {
        return key.isSecret() && !value.equals("") ? literal(MASK) : literal(value);
    }

    /** TOML literal of a String, a Number, a Boolean or a List of Strings. */
    static String literal(Object value) {
        return switch (value) {
            case String s -> quote(s);
            case Number n -> n.toString();
            case Boolean b -> b.toString();
            case List<?> list -> list.stream().map(ConfigRenderer::literal).collect(Collectors.joining(", ", "[", "]"));
            default -> throw new IllegalArgumentException("no TOML literal for " + value.getClass());
        };
    }

    /** A TOML basic string; control characters escaped so a value never breaks a line of output. */
    static String quote(String s) {
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
