package io.sfufleet.sfu.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import io.sfufleet.model.config.ConfigProblem;

/** Shared helpers: a fixed host so results do not depend on the build machine's network. */
final class ConfigFixtures {
    static final HostEnvironment HOST = HostEnvironment.fixed("test-node", "192.0.2.10");

    private ConfigFixtures() {
    }

    static Path write(Path dir, String toml) throws IOException {
        Path file = Files.createTempFile(dir, "sfu", ".toml");
        Files.writeString(file, toml);
        return file;
    }

    static SfuConfig load(Path dir, String toml, Map<String, String> env) throws IOException {
        return ConfigLoader.load(write(dir, toml), env, HOST);
    }

    static SfuConfig loadEnv(Map<String, String> env) {
        return ConfigLoader.load(null, env, HOST);
    }

    /** The exception loading must throw; fails the test if loading succeeds. */
    static ConfigException failure(Path fileOrNull, Map<String, String> env) {
        assertThatThrownBy(() -> ConfigLoader.load(fileOrNull, env, HOST)).isInstanceOf(ConfigException.class);
        return catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(fileOrNull, env, HOST));
    }

    static ConfigException failure(Path dir, String toml) throws IOException {
        return failure(write(dir, toml), Map.of());
    }

    static ConfigException envFailure(Map<String, String> env) {
        return failure(null, env);
    }

    static List<String> keys(ConfigException e) {
        return e.problems().stream().map(ConfigProblem::key).toList();
    }

    static String bundledToml() throws IOException {
        try (InputStream in = ConfigFixtures.class.getResourceAsStream("/sfu.toml")) {
            if (in == null) {
                throw new IOException("sfu.toml is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
