package io.sfufleet.sfu.config;

import static io.sfufleet.sfu.config.ConfigKey.*;

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
 * Builds the {@link SfuConfig}: built-in defaults, then one TOML file, then {@code SFU_<SECTION>_<KEY>}
 * environment variables (the order Mattermost's rtcd uses), then automatic values, then
 * validation. Every problem is collected and reported together in one {@link ConfigException}.
 */
public final class ConfigLoader {

    /** Problem key for trouble with the file as a whole. */
    static final String FILE_KEY = "config file";

    /** Used when no interface has a usable address; a node that only serves this host still works. */
    static final String FALLBACK_ICE_HOST = "127.0.0.1";

    private static final TomlMapper TOML = new TomlMapper();
    private static final Pattern DIGITS = Pattern.compile("[+-]?\\d+");
    /**
     * Stands in for the value of an unknown key or variable. The name is what needs fixing, and a
     * misspelt secret (SFU_API_TOKNE) must not end up in a log.
     */
    static final String NOT_SHOWN = "<not shown>";
    private static final int MAX_SHOWN_CHARS = 80;

    /** String, Long, Boolean or List&lt;String&gt; per key, as {@link ConfigKey#defaultValue()}. */
    private final Map<ConfigKey, Object> values = new EnumMap<>(ConfigKey.class);
    /** Where a value that is not the file's came from, appended to its problems. */
    private final Map<ConfigKey, String> notes = new EnumMap<>(ConfigKey.class);
    /** Keys whose source was unusable (wrong type): they hold a stand-in, so checks skip them. */
    private final Set<ConfigKey> unusable = EnumSet.noneOf(ConfigKey.class);
    private final List<ConfigProblem> problems = new ArrayList<>();

    private ConfigLoader() {
        for (ConfigKey key : ConfigKey.values()) {
            values.put(key, key.defaultValue());
        }
    }

    /**
     * Loads the configuration of the node running on this machine.
     *
     * @param fileOrNull TOML file, or null for defaults and environment only; a given file must exist
     * @param env        environment variables, usually {@link System#getenv()}
     * @throws ConfigException listing every problem found
     */
    public static SfuConfig load(Path fileOrNull, Map<String, String> env) {
        return load(fileOrNull, env, HostEnvironment.system());
    }

    /** As {@link #load(Path, Map)}, with automatic values taken from {@code host}. */
    public static SfuConfig load(Path fileOrNull, Map<String, String> env, HostEnvironment host) {
        var loader = new ConfigLoader();
        if (fileOrNull != null) {
            loader.readFile(fileOrNull);
        }
        loader.readEnv(env);
        loader.resolveAutomatic(host);
        new ConfigValidator(loader.values, loader.notes, loader.unusable, loader.problems).validate();
        if (!loader.problems.isEmpty()) {
            throw new ConfigException(loader.problems);
        }
        return loader.build();
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
        JsonNode root;
        try {
            root = TOML.readTree(text);
        } catch (JacksonException e) {
            JsonLocation at = e.getLocation();
            String where = at == null || at.getLineNr() < 1 ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            fileProblem(file, "not valid TOML" + where + ": " + e.getOriginalMessage());
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
        // Values from env files and secret stores often carry a trailing newline.
        String text = raw.strip();
        Object value = switch (key.type()) {
            case STRING -> text;
            case STRING_LIST -> Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
            case INTEGER -> {
                try {
                    yield Long.parseLong(text);
                } catch (NumberFormatException e) {
                    String reason = DIGITS.matcher(text).matches() ? "out of range" : "expected an integer";
                    problems.add(new ConfigProblem(key.key(), ConfigRenderer.display(key, raw), reason + "; set by " + name,
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
                            "expected true or false; set by " + name, key.allowed()));
                    unusable.add(key);
                    yield null;
                }
            };
        };
        if (value != null) {
            values.put(key, value);
            notes.put(key, "set by " + name);
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

    private void resolveAutomatic(HostEnvironment host) {
        if (values.get(NODE_NAME).equals("")) {
            values.put(NODE_NAME, host.hostName());
            notes.put(NODE_NAME, "taken from the host name; set node.name instead");
        }
        if (values.get(MEDIA_ICE_HOST_OVERRIDE).equals("")) {
            values.put(MEDIA_ICE_HOST_OVERRIDE, host.firstUpIpv4Address().orElse(FALLBACK_ICE_HOST));
            notes.put(MEDIA_ICE_HOST_OVERRIDE, "detected on this host");
        }
    }

    private SfuConfig build() {
        return new SfuConfig(
                new SfuConfig.Node(string(NODE_NAME)),
                new SfuConfig.Media(string(MEDIA_BIND_ADDRESS), integer(MEDIA_UDP_PORT), integer(MEDIA_TCP_PORT),
                        string(MEDIA_ICE_HOST_OVERRIDE), stringList(MEDIA_STUN_SERVERS),
                        integer(MEDIA_UDP_SOCKET_BUFFER_BYTES), bool(MEDIA_UDP_ENABLED),
                        integer(MEDIA_TCP_MAX_CONNECTIONS), stringList(MEDIA_TURN_URLS), string(MEDIA_TURN_SECRET),
                        integer(MEDIA_TURN_CREDENTIAL_TTL_SECONDS)),
                new SfuConfig.Http(string(HTTP_LISTEN_ADDRESS), integer(HTTP_PORT), integer(HTTP_MAX_MESSAGE_BYTES),
                        string(HTTP_TLS_CERT_FILE), string(HTTP_TLS_KEY_FILE)),
                new SfuConfig.Api(string(API_LISTEN_ADDRESS), integer(API_PORT), string(API_TOKEN),
                        bool(API_METRICS_OPEN), string(API_TLS_CERT_FILE), string(API_TLS_KEY_FILE)),
                new SfuConfig.Auth(string(AUTH_JOIN_TOKEN_SECRET), bool(AUTH_DEV_TOKENS)),
                new SfuConfig.Limits(integer(LIMITS_MAX_CALLS), integer(LIMITS_MAX_PARTICIPANTS_PER_CALL),
                        integer(LIMITS_KEYFRAME_MIN_INTERVAL_MS), integer(LIMITS_WS_IDLE_TIMEOUT_SECONDS),
                        integer(LIMITS_OVERLOAD_CPU_PERCENT), integer(LIMITS_CONSENT_TIMEOUT_SECONDS),
                        integer(LIMITS_MAX_AUDIO_STREAMS), integer(LIMITS_MAX_VIDEO_STREAMS)));
    }

    private String string(ConfigKey key) {
        return (String) values.get(key);
    }

    /** Only after validation, which has checked every integer against its int-sized range. */
    private int integer(ConfigKey key) {
        return Math.toIntExact((Long) values.get(key));
    }

    private boolean bool(ConfigKey key) {
        return (Boolean) values.get(key);
    }

    @SuppressWarnings("unchecked")
    private List<String> stringList(ConfigKey key) {
        return (List<String>) values.get(key);
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
