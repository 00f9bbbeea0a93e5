package io.sfufleet.console.provision.config;

import io.sfufleet.console.provision.NodeSpec;
import io.sfufleet.model.config.ConfigKey;
import io.sfufleet.model.config.ConfigProblem;
import io.sfufleet.model.config.ConfigReader;
import io.sfufleet.model.config.ConfigRenderer;
import io.sfufleet.model.config.HostChecks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The desired configuration of one host's node: a value for every key of the server's schema except
 * the secrets, which the install keeps in the host's 0600 env file. Immutable; every change goes
 * through {@link #with}, which checks it with the server's own reader and validator (shared-model)
 * and refuses it, naming key, value and reason, before anything is stored.
 *
 * <p>Checks that need the host (is a TLS file readable there) are left to the push, which runs them
 * on the host, and to the node, which checks everything again when it loads the file.
 */
public final class NodeConfig {
    /**
     * Stand-ins for the secrets the install writes to the env file: with them the validator checks
     * what depends on a secret being set (an API on a public address needs a token) the way the node
     * will see it. They never leave this class.
     */
    private static final Map<ConfigKey, Object> ENV_FILE_SECRETS = Map.of(
            ConfigKey.API_TOKEN, "set-in-the-env-file-by-the-install",
            ConfigKey.AUTH_JOIN_TOKEN_SECRET, "set-in-the-env-file-by-the-install-0123456789");

    private final Map<ConfigKey, Object> values;

    private NodeConfig(Map<ConfigKey, Object> values) {
        var v = new EnumMap<ConfigKey, Object>(ConfigKey.class);
        for (ConfigKey key : ConfigKey.values()) {
            if (!key.isSecret()) {
                v.put(key, Objects.requireNonNull(values.get(key), key.key()));
            }
        }
        this.values = Collections.unmodifiableMap(v);
    }

    /** The server's built-in defaults. */
    public static NodeConfig defaults() {
        return new NodeConfig(ConfigReader.defaults().values());
    }

    /** A new host's config: the install's choices (name, addresses, ports), defaults for the rest. */
    public static NodeConfig of(NodeSpec spec) {
        var reader = ConfigReader.defaults();
        spec.values().forEach(reader::setValue);
        return checked(reader, "the install settings of " + spec.nodeName() + " are refused");
    }

    /**
     * A config file's values (as stored by the console); refused if it does not parse, names an
     * unknown key, or breaks a rule. Secrets in the file are refused: they belong in the env file.
     */
    public static NodeConfig parse(String toml, String source) {
        var reader = ConfigReader.defaults().text(toml, source);
        var secrets = new ArrayList<ConfigProblem>();
        for (ConfigKey key : reader.keysInFile()) {
            if (key.isSecret()) {
                secrets.add(secretProblem(key));
            }
        }
        if (!secrets.isEmpty()) {
            throw new ConfigRefusedException(source + " is refused", secrets);
        }
        return checked(reader, source + " is refused");
    }

    /**
     * This config with {@code key=value} assignments applied, as an operator types them (lists
     * comma-separated), checked as a whole (a port may conflict with another key's).
     *
     * @throws ConfigRefusedException naming every refused key with its value and the reason; this
     *                                config is unchanged
     */
    public NodeConfig with(List<String> assignments) {
        var reader = ConfigReader.defaults();
        values.forEach(reader::setValue);
        var problems = new ArrayList<ConfigProblem>();
        for (String assignment : assignments) {
            int eq = assignment.indexOf('=');
            if (eq <= 0) {
                problems.add(new ConfigProblem(assignment, "", "not key=value", "a dotted key, e.g. limits.max_calls=500"));
                continue;
            }
            String name = assignment.substring(0, eq).strip();
            String text = assignment.substring(eq + 1);
            var key = ConfigKey.ofKey(name);
            if (key.isEmpty()) {
                problems.add(new ConfigProblem(name, ConfigReader.NOT_SHOWN, "unknown key",
                        Arrays.stream(ConfigKey.values()).filter(k -> !k.isSecret()).map(ConfigKey::key)
                                .reduce((a, b) -> a + ", " + b).orElse("")));
            } else if (key.get().isSecret()) {
                problems.add(secretProblem(key.get()));
            } else {
                reader.set(key.get(), text, "set with config set");
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigRefusedException("the change is refused", problems);
        }
        return checked(reader, "the change is refused");
    }

    /** This config with typed values (as {@link NodeSpec#values()} gives them) put over it, checked as a whole. */
    public NodeConfig withValues(Map<ConfigKey, Object> typed) {
        var reader = ConfigReader.defaults();
        values.forEach(reader::setValue);
        typed.forEach(reader::setValue);
        return checked(reader, "the change is refused");
    }

    private static ConfigProblem secretProblem(ConfigKey key) {
        return new ConfigProblem(key.key(), ConfigRenderer.quote(ConfigRenderer.MASK),
                "a secret: the console keeps secrets out of sfu.toml (a diff or a copy would show them)",
                "set it in " + "<prefix>/etc/sfu-server.env as " + key.envName());
    }

    private static NodeConfig checked(ConfigReader reader, String what) {
        ENV_FILE_SECRETS.forEach(reader::setValue);
        List<ConfigProblem> problems = reader.validate(HostChecks.deferred());
        if (!problems.isEmpty()) {
            throw new ConfigRefusedException(what, problems);
        }
        return new NodeConfig(reader.values());
    }

    /** String, Long, Boolean or List&lt;String&gt;, as {@link ConfigKey#defaultValue()}; null for a secret. */
    public Object value(ConfigKey key) {
        return values.get(key);
    }

    public Map<ConfigKey, Object> values() {
        return values;
    }

    /** The file the node reads: every non-secret key, rendered by the server's renderer. */
    public String toml() {
        return ConfigRenderer.renderFile(NodeSpec.HEADER, values);
    }

    /** One line of the typed editor: what the key takes and what it is set to. */
    public record Entry(ConfigKey key, String value, String defaultValue, String type, String allowed, boolean hot,
            String description) {
        public boolean isDefault() {
            return value.equals(defaultValue);
        }
    }

    /** Every key but the secrets, in the server's table order. */
    public List<Entry> entries() {
        return values.entrySet().stream().map(e -> new Entry(e.getKey(), ConfigRenderer.literal(e.getValue()),
                e.getKey().defaultLiteral(), e.getKey().type().description(), e.getKey().allowed(), e.getKey().isHot(),
                e.getKey().description())).toList();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeConfig other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return toml();
    }
}
