package io.sfufleet.sfu.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where a node's configuration comes from, so a running node can read it again (reload, SIGHUP)
 * exactly as at start.
 *
 * @param file the TOML file, or null when the node was started without one
 * @param env  the environment variables at start (they cannot change in a running process)
 */
public record ConfigSource(Path file, Map<String, String> env) {
    public ConfigSource {
        env = Map.copyOf(env);
    }

    /** Loads it again; throws {@link ConfigException} with every problem. */
    public SfuConfig load() {
        return ConfigLoader.load(file, env);
    }
}
