package io.sfufleet.sfu.config;

import static io.sfufleet.sfu.config.ConfigFixtures.HOST;
import static io.sfufleet.sfu.config.ConfigFixtures.failure;
import static io.sfufleet.sfu.config.ConfigFixtures.keys;
import static io.sfufleet.sfu.config.ConfigFixtures.loadEnv;
import static io.sfufleet.sfu.config.ConfigFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.sfufleet.model.config.ConfigKey;
import io.sfufleet.model.config.ConfigProblem;

class ConfigRenderingTest {
    private static final String TOKEN = "s3cr3t-t0ken-0123456789";
    private static final String SECRET = "j0in-s3cret with spaces & \"quotes\" 0123456789";

    @TempDir
    Path dir;

    @Test
    void defaultsRenderAndReloadToTheSameConfig() throws IOException {
        SfuConfig c = loadEnv(Map.of());

        assertThat(ConfigLoader.load(write(dir, c.toToml()), Map.of(), HOST)).isEqualTo(c);
    }

    @Test
    void renderingShowsEveryKeyWithItsEffectiveValue() {
        String toml = loadEnv(Map.of("SFU_MEDIA_STUN_SERVERS", "a.example:3478,b.example:3478")).toToml();

        assertThat(toml).contains("[node]\nname = \"test-node\"\n", "ice_host_override = \"192.0.2.10\"",
                "stun_servers = [\"a.example:3478\", \"b.example:3478\"]", "udp_port = 8443", "token = \"\"");
        for (ConfigKey key : ConfigKey.values()) {
            assertThat(toml).contains("\n" + key.tomlName() + " = ");
        }
    }

    @Test
    void tokenIsMaskedAndTheRenderingReloadsWithTheTokenFromTheEnvironment() throws IOException {
        SfuConfig c = loadEnv(Map.of("SFU_API_TOKEN", TOKEN, "SFU_API_LISTEN_ADDRESS", "0.0.0.0",
                "SFU_NODE_NAME", "eu-1", "SFU_LIMITS_MAX_CALLS", "7"));

        String toml = c.toToml();

        assertThat(toml).doesNotContain(TOKEN).contains("token = \"<masked>\"  # set; supply it with SFU_API_TOKEN");
        Path printed = write(dir, toml);
        assertThat(ConfigLoader.load(printed, Map.of("SFU_API_TOKEN", TOKEN), HOST)).isEqualTo(c);
        // Pasted back without the secret, the printed config stops the node instead of running with "<masked>".
        assertThat(keys(failure(printed, Map.of()))).containsExactly("api.token");
    }

    @Test
    void bothSecretsAreMaskedAndTheRenderingReloadsWithThemFromTheEnvironment() throws IOException {
        Map<String, String> secrets = Map.of("SFU_API_TOKEN", TOKEN, "SFU_AUTH_JOIN_TOKEN_SECRET", SECRET);
        var env = new HashMap<>(secrets);
        env.putAll(Map.of("SFU_AUTH_DEV_TOKENS", "true", "SFU_API_METRICS_OPEN", "true",
                "SFU_LIMITS_OVERLOAD_CPU_PERCENT", "70"));
        SfuConfig c = loadEnv(env);

        String toml = c.toToml();

        assertThat(toml).doesNotContain(TOKEN).doesNotContain("j0in")
                .contains("[auth]\njoin_token_secret = \"<masked>\"  # set; supply it with SFU_AUTH_JOIN_TOKEN_SECRET\n"
                        + "dev_tokens = true\n")
                .contains("metrics_open = true\n", "overload_cpu_percent = 70\n");
        Path printed = write(dir, toml);
        assertThat(ConfigLoader.load(printed, secrets, HOST)).isEqualTo(c);
        assertThat(keys(failure(printed, Map.of("SFU_API_TOKEN", TOKEN)))).containsExactly("auth.join_token_secret");
        assertThat(failure(printed, Map.of()).getMessage()).doesNotContain(TOKEN).doesNotContain("j0in");
    }

    @Test
    void emptyJoinTokenSecretRendersEmptySoTheNodeKeepsMakingItsOwn() throws IOException {
        SfuConfig c = loadEnv(Map.of());

        assertThat(c.toToml()).contains("join_token_secret = \"\"\n", "metrics_open = false\n", "dev_tokens = false\n");
    }

    @Test
    void apiTlsFilesRoundTrip() throws IOException {
        Path cert = Files.writeString(dir.resolve("api-cert.pem"), "x");
        Path key = Files.writeString(dir.resolve("api-key.pem"), "x");
        SfuConfig c = loadEnv(Map.of("SFU_API_TLS_CERT_FILE", cert.toString(), "SFU_API_TLS_KEY_FILE", key.toString()));

        assertThat(ConfigLoader.load(write(dir, c.toToml()), Map.of(), HOST)).isEqualTo(c);
        assertThat(c.toToml()).contains("[api]\n", "tls_cert_file = \"" + cert + "\"");
    }

    @Test
    void toStringNeverShowsTheJoinTokenSecret() {
        SfuConfig c = loadEnv(Map.of("SFU_AUTH_JOIN_TOKEN_SECRET", SECRET, "SFU_AUTH_DEV_TOKENS", "true"));

        assertThat(c.toString()).doesNotContain("j0in").contains("Auth[joinTokenSecret=<masked>, devTokens=true]");
        assertThat(loadEnv(Map.of()).auth()).hasToString("Auth[joinTokenSecret=, devTokens=false]");
    }

    @Test
    void toStringNeverShowsTheToken() {
        SfuConfig c = loadEnv(Map.of("SFU_API_TOKEN", TOKEN));

        assertThat(c.toString()).doesNotContain(TOKEN).contains("token=<masked>");
        assertThat(c.api().toString()).doesNotContain(TOKEN).contains("metricsOpen=false");
    }

    @Test
    void awkwardStringsAreEscapedAndSurviveTheRoundTrip() throws IOException {
        Path cert = Files.writeString(dir.resolve("we\"ird\\cert\tname.pem"), "x");
        Path key = Files.writeString(dir.resolve("k\u00e9y.pem"), "x");
        SfuConfig c = loadEnv(Map.of("SFU_HTTP_TLS_CERT_FILE", cert.toString(), "SFU_HTTP_TLS_KEY_FILE", key.toString()));

        String toml = c.toToml();

        assertThat(toml).contains("we\\\"ird\\\\cert\\tname.pem");
        assertThat(ConfigLoader.load(write(dir, toml), Map.of(), HOST)).isEqualTo(c);
    }

    @Test
    void describeKeysListsEveryKeyWithItsVariableDefaultAndRange() {
        String text = SfuConfig.describeKeys();

        for (ConfigKey key : ConfigKey.values()) {
            assertThat(text).contains(key.envName(), key.allowed(), key.tomlName() + " = " + key.defaultLiteral());
        }
        assertThat(text).contains("[media]", "udp_port = 8443", "allowed: 1..65535", "when changed: needs a restart")
                .contains("  metrics_open = false    (a boolean; env SFU_API_METRICS_OPEN)\n",
                        "allowed: true or false\n      when changed: applied at once on reload\n");
    }

    @Test
    void problemLineFollowsTheDocumentedFormat() {
        assertThat(new ConfigProblem("media.udp_port", "0", "out of range", "1..65535"))
                .hasToString("media.udp_port = 0: out of range (allowed: 1..65535)");
        assertThat(new ConfigProblem("config file", "\"/x\"", "file not found", ""))
                .hasToString("config file = \"/x\": file not found");
    }
}
