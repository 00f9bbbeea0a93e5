package io.sfufleet.model.config;

import static io.sfufleet.model.config.ConfigKey.*;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads a node configuration's values: built-in defaults, then one TOML file, then
 * {@code SFU_<SECTION>_<KEY>} environment variables (the order Mattermost's rtcd uses), then
 * automatic values, then validation. Every problem is collected, so one run reports them all. The
 * server builds its SfuConfig from the result; the console edits and validates desired configs with
 * the same code, so both refuse exactly the same values.
 */
public final class ConfigReader {

    /** Problem key for trouble with the file as a whole. */
    public static final String FILE_KEY = "config file";

    /** Used when no interface has a usable address; a node that only serves this host still works. */
    public static final String FALLBACK_ICE_HOST = "127.0.0.1";

    private static final TomlMapper TOML = new TomlMapper();
    private static final Pattern DIGITS = Pattern.compile("[+-]?\\d+");
    /**
     * Stands in for the value of an unknown key or variable. The name is what needs fixing, and a
     * misspelt secret (SFU_API_TOKNE) must not end up in a log.
     */
    public static final String NOT_SHOWN = "<not shown>";
    private static final int MAX_SHOWN_CHARS = 80;

    /** String, Long, Boolean or List&lt;String&gt; per key, as {@link ConfigKey#defaultValue()}. */
    private final Map<ConfigKey, Object> values = new EnumMap<>(ConfigKey.class);
    /** Where a value that is not the file's came from, appended to its problems. */
    private final Map<ConfigKey, String> notes = new EnumMap<>(ConfigKey.class);
    /** Keys whose source was unusable (wrong type): they hold a stand-in, so checks skip them. */
    private final Set<ConfigKey> unusable = EnumSet.noneOf(ConfigKey.class);
    /** Keys the file sets (known ones), in file order: what a key-level diff compares. */
    private final Set<ConfigKey> inFile = new java.util.LinkedHashSet<>();
    private final List<ConfigProblem> problems = new ArrayList<>();

    private ConfigReader() {
        for (ConfigKey key : ConfigKey.values()) {
            values.put(key, key.defaultValue());
        }
    }

    /** Every key at its built-in default. */
    public static ConfigReader defaults() {
        return new ConfigReader();
    }

    /** Reads a TOML file over the values so far; a missing or unreadable file is a problem. */
    public ConfigReader file(Path file) {
        readFile(file);
        return this;
    }

    /** Reads TOML text (a file fetched from a host, say) over the values so far; {@code source} names it in problems. */
    public ConfigReader text(String toml, String source) {
        readText(toml, () -> ConfigRenderer.quote(source));
        return this;
    }

    /** Reads the {@code SFU_*} variables of {@code env} over the values so far. */
    public ConfigReader env(Map<String, String> env) {
        readEnv(env);
        return this;
    }

    /**
     * Sets one key from text as an operator types it: strings as they are, integers in decimal,
     * booleans as {@code true} or {@code false}, lists comma-separated. A value that does not parse
     * is a problem naming the key, the value and what was expected; {@code source} says who set it.
     */
    public ConfigReader set(ConfigKey key, String text, String source) {
        parseInto(key, text, text, source);
        return this;
    }

    /** Sets one key to an already typed value (String, Long, Boolean or List of String). */
    public ConfigReader setValue(ConfigKey key, Object value) {
        Object expected = key.defaultValue();
        boolean fits = expected instanceof List<?> ? value instanceof List<?> : expected.getClass().isInstance(value);
        if (!fits) {
            throw new IllegalArgumentException(key.key() + " takes " + key.type().description() + ", not " + value);
        }
        values.put(key, value instanceof List<?> list ? List.copyOf(list) : value);
        unusable.remove(key);
        return this;
    }

    /** Fills in empty automatic values (node name, ICE address) from the machine the node runs on. */
    public ConfigReader resolveAutomatic(HostChecks host) {
        if (values.get(NODE_NAME).equals("")) {
            values.put(NODE_NAME, host.hostName());
            notes.put(NODE_NAME, "taken from the host name; set node.name instead");
        }
        if (values.get(MEDIA_ICE_HOST_OVERRIDE).equals("")) {
            values.put(MEDIA_ICE_HOST_OVERRIDE, host.firstUpIpv4Address().orElse(FALLBACK_ICE_HOST));
            notes.put(MEDIA_ICE_HOST_OVERRIDE, "detected on this host");
        }
        return this;
    }

    /**
     * Checks the values; returns every problem found while reading and checking, in order. Checks
     * that need the node's machine go through {@code host}.
     */
    public List<ConfigProblem> validate(HostChecks host) {
        new ConfigValidator(values, notes, unusable, problems, host).validate();
        return List.copyOf(problems);
    }

    /** Problems found so far (reading only, until {@link #validate} runs). */
    public List<ConfigProblem> problems() {
        return List.copyOf(problems);
    }

    /** A key's value: String, Long, Boolean or List&lt;String&gt;, as {@link ConfigKey#defaultValue()}. */
    public Object value(ConfigKey key) {
        return values.get(key);
    }

    /** Every key's value, in table order. */
    public Map<ConfigKey, Object> values() {
        return java.util.Collections.unmodifiableMap(new EnumMap<>(values));
    }

    /** The known keys the TOML read so far set explicitly, in file order. */
    public Set<ConfigKey> keysInFile() {
        return java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(inFile));
    }

    private void readFile(Path file) {
        String text;
        try {
            if (Files.isDirectory(file)) {
                fileProblem(file, "is a directory, not a TOML file");
                return;
            }
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            fileProblem(file, "file not found");
            return;
        } catch (AccessDeniedException e) {
            fileProblem(file, "not readable by this process");
            return;
        } catch (CharacterCodingException e) {
            fileProblem(file, "not UTF-8 text");
            return;
        } catch (IOException e) {
            fileProblem(file, "cannot be read: " + e);
            return;
        }
        readText(text, () -> ConfigRenderer.quote(file.toString()));
    }

    private void readText(String text, java.util.function.Supplier<String> source) {
        JsonNode root;
        try {
            root = TOML.readTree(text);
        } catch (JacksonException e) {
            JsonLocation at = e.getLocation();
            String where = at == null || at.getLineNr() < 1 ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            problems.add(new ConfigProblem(FILE_KEY, source.get(), "not valid TOML" + where + ": " + e.getOriginalMessage(), ""));
            return;
        }
        if (root == null || !root.isObject()) {
            return; // an empty file: nothing to override
        }
        for (Map.Entry<String, JsonNode> top : root.properties()) {
            readSection(top.getKey(), top.getValue());
        }
    }

    private void readSection(String name, JsonNode node) {
        var section = Section.of(name);
        if (section.isEmpty()) {
            problems.add(new ConfigProblem(name, unknownValue(node),
                    node.isObject() ? "unknown section [" + name + "]" : "key outside any section",
                    node.isObject() ? sectionNames() : "keys belong in one of the sections " + sectionNames()));
            return;
        }
        if (!node.isObject()) {
            problems.add(new ConfigProblem(name, shown(node), "expected a table [" + name + "], got " + kind(node),
                    "[" + name + "] with keys " + keyNames(section.get())));
            return;
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            var key = ConfigKey.of(section.get(), entry.getKey());
            if (key.isEmpty()) {
                String dotted = name + "." + entry.getKey();
                problems.add(new ConfigProblem(dotted, unknownValue(entry.getValue()),
                        "unknown key in [" + name + "]", keyNames(section.get())));
            } else {
                readValue(key.get(), entry.getValue());
            }
        }
    }

    private void readValue(ConfigKey key, JsonNode node) {
        if (key.type() == Type.INTEGER && node.isIntegralNumber() && !node.canConvertToLong()) {
            problems.add(new ConfigProblem(key.key(), node.asText(), "out of range", key.allowed()));
            unusable.add(key);
            return;
        }
        Object value = switch (key.type()) {
            case STRING -> node.isTextual() ? node.textValue() : null;
            case INTEGER -> node.isIntegralNumber() ? node.longValue() : null;
            case BOOLEAN -> node.isBoolean() ? node.booleanValue() : null;
            case STRING_LIST -> {
                if (!node.isArray()) {
                    yield null;
                }
                var list = new ArrayList<String>();
                for (JsonNode element : node) {
                    if (!element.isTextual()) {
                        yield null;
                    }
                    list.add(element.textValue());
                }
                yield List.copyOf(list);
            }
        };
        if (value == null) {
            String got = node.isArray() && key.type() == Type.STRING_LIST ? "an array with a non-string element" : kind(node);
            problems.add(new ConfigProblem(key.key(), key.isSecret() ? ConfigRenderer.quote(ConfigRenderer.MASK) : shown(node),
                    "expected " + key.type().description() + ", got " + got, key.allowed()));
            unusable.add(key);
            return;
        }
        values.put(key, value);
        unusable.remove(key);
        inFile.add(key);
    }

    private void readEnv(Map<String, String> env) {
        // Sorted, so problems come out in the same order on every run.
        for (Map.Entry<String, String> entry : new TreeMap<>(env).entrySet()) {
            String name = entry.getKey();
            if (!name.startsWith("SFU_")) {
                continue;
            }
            var key = ConfigKey.ofEnvName(name);
            if (key.isPresent()) {
                readEnvValue(key.get(), name, entry.getValue());
            } else {
                refuseIfOurs(name);
            }
        }
    }

    private void readEnvValue(ConfigKey key, String name, String raw) {
        parseInto(key, raw, raw.strip(), "set by " + name);
    }

    /** {@code raw} as given (for messages), {@code text} as parsed; {@code note} says where it came from. */
    private void parseInto(ConfigKey key, String raw, String text, String note) {
        Object value = switch (key.type()) {
            case STRING -> text;
            case STRING_LIST -> Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
            case INTEGER -> {
                try {
                    yield Long.parseLong(text);
                } catch (NumberFormatException e) {
                    String reason = DIGITS.matcher(text).matches() ? "out of range" : "expected an integer";
                    problems.add(new ConfigProblem(key.key(), ConfigRenderer.display(key, raw), reason + "; " + note,
                            key.allowed()));
                    unusable.add(key);
                    yield null;
                }
            }
            // Only the TOML spellings: "yes", "1" or "TRUE" may mean something else to whoever wrote them.
            case BOOLEAN -> switch (text) {
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                default -> {
                    problems.add(new ConfigProblem(key.key(), ConfigRenderer.display(key, raw),
                            "expected true or false; " + note, key.allowed()));
                    unusable.add(key);
                    yield null;
                }
            };
        };
        if (value != null) {
            values.put(key, value);
            notes.put(key, note);
            unusable.remove(key);
        }
    }

    /**
     * SFU_* variables that name one of our sections, or a misspelt section followed by one of our
     * keys, are refused: ignoring them would silently run with the value the operator meant to
     * change. Others (a launcher's SFU_HOME, say) are left alone.
     */
    private void refuseIfOurs(String name) {
        String rest = name.substring("SFU_".length());
        for (Section section : Section.values()) {
            if (name.startsWith(section.envPrefix())) {
                problems.add(new ConfigProblem(name, NOT_SHOWN, "unknown environment variable for ["
                        + section.tomlName() + "]", envNames(section.keys())));
                return;
            }
        }
        int underscore = rest.indexOf('_');
        if (underscore < 0) {
            return;
        }
        String keyPart = rest.substring(underscore + 1);
        List<ConfigKey> meant = Arrays.stream(ConfigKey.values())
                .filter(k -> k.tomlName().toUpperCase(Locale.ROOT).equals(keyPart)).toList();
        if (!meant.isEmpty()) {
            problems.add(new ConfigProblem(name, NOT_SHOWN, "unknown section "
                    + rest.substring(0, underscore) + " in environment variable", envNames(meant)));
        }
    }

    private void fileProblem(Path file, String reason) {
        problems.add(new ConfigProblem(FILE_KEY, ConfigRenderer.quote(file.toString()), reason, ""));
    }

    private static String kind(JsonNode node) {
        if (node.isTextual()) {
            return "a string";
        } else if (node.isIntegralNumber()) {
            return "an integer";
        } else if (node.isNumber()) {
            return "a float";
        } else if (node.isBoolean()) {
            return "a boolean";
        } else if (node.isArray()) {
            return "an array";
        } else if (node.isObject()) {
            return "a table";
        }
        return node.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    /** A value of a known key for a message: TOML-like and shortened. */
    private static String shown(JsonNode node) {
        String text = node.isTextual() ? ConfigRenderer.quote(node.textValue())
                : node.isObject() ? "{...}" : node.toString();
        return text.length() <= MAX_SHOWN_CHARS ? text : text.substring(0, MAX_SHOWN_CHARS) + "...";
    }

    private static String unknownValue(JsonNode node) {
        return node.isObject() ? "{...}" : NOT_SHOWN;
    }

    private static String sectionNames() {
        return Arrays.stream(Section.values()).map(s -> "[" + s.tomlName() + "]").collect(Collectors.joining(", "));
    }

    private static String keyNames(Section section) {
        return section.keys().stream().map(ConfigKey::tomlName).collect(Collectors.joining(", "));
    }

    private static String envNames(List<ConfigKey> keys) {
        return keys.stream().map(ConfigKey::envName).collect(Collectors.joining(", "));
    }
}
