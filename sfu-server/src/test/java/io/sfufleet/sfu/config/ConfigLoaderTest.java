package io.sfufleet.sfu.config;

import static io.sfufleet.sfu.config.ConfigFixtures.HOST;
import static io.sfufleet.sfu.config.ConfigFixtures.envFailure;
import static io.sfufleet.sfu.config.ConfigFixtures.failure;
import static io.sfufleet.sfu.config.ConfigFixtures.keys;
import static io.sfufleet.sfu.config.ConfigFixtures.load;
import static io.sfufleet.sfu.config.ConfigFixtures.loadEnv;
import static io.sfufleet.sfu.config.ConfigFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import io.sfufleet.model.config.ConfigKey;
import io.sfufleet.model.config.ConfigProblem;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void defaultsAreTheDocumentedValues() {
        SfuConfig c = loadEnv(Map.of());

        assertThat(c.node().name()).isEqualTo("test-node");
        assertThat(c.media()).isEqualTo(new SfuConfig.Media("0.0.0.0", 8443, 8443, "192.0.2.10", List.of(), 16_777_216, true, 1000,
                List.of(), "", 3600, List.of("vp8", "vp9", "av1", "h264")));
        assertThat(c.http()).isEqualTo(new SfuConfig.Http("0.0.0.0", 8080, 65_536, "", ""));
        assertThat(c.api()).isEqualTo(new SfuConfig.Api("127.0.0.1", 8045, "", false, "", ""));
        assertThat(c.auth()).isEqualTo(new SfuConfig.Auth("", false));
        assertThat(c.limits()).isEqualTo(new SfuConfig.Limits(1000, 100, 200, 30, 85, 30, 5, 9));
        assertThat(c.media().tcpEnabled()).isTrue();
        assertThat(c.http().tlsEnabled()).isFalse();
        assertThat(c.api().tlsEnabled()).isFalse();
    }

    @Test
    void iceHostFallsBackToLoopbackWhenTheHostHasNoAddress() {
        SfuConfig c = ConfigLoader.load(null, Map.of(), HostEnvironment.fixed("lonely", null));

        assertThat(c.media().iceHostOverride()).isEqualTo("127.0.0.1");
    }

    @Test
    void systemDefaultsResolveNameAndAddressAndUseNoStun() {
        SfuConfig c = SfuConfig.defaults();

        assertThat(c.node().name()).isNotEmpty();
        assertThat(c.media().iceHostOverride()).isNotEmpty();
        assertThat(c.media().stunServers()).isEmpty();
        assertThat(c).isEqualTo(ConfigLoader.load(null, Map.of()));
    }

    @Test
    void bundledFileLoadsToExactlyTheDefaults() throws IOException {
        Path bundled = write(dir, ConfigFixtures.bundledToml());

        assertThat(ConfigLoader.load(bundled, Map.of(), HOST)).isEqualTo(loadEnv(Map.of()));
        assertThat(ConfigLoader.load(bundled, Map.of())).isEqualTo(SfuConfig.defaults());
    }

    @Test
    void bundledFileSetsEveryKeySoItDocumentsThemAll() throws IOException {
        JsonNode root = new TomlMapper().readTree(ConfigFixtures.bundledToml());

        for (ConfigKey key : ConfigKey.values()) {
            assertThat(root.path(key.section().tomlName()).has(key.tomlName())).as(key.key()).isTrue();
            assertThat(ConfigFixtures.bundledToml()).as(key.key())
                    .contains(key.tomlName() + " = " + key.defaultLiteral());
        }
    }

    @Test
    void fileOverridesDefaultsAndLeavesTheRest() throws IOException {
        SfuConfig c = load(dir, """
                [node]
                name = "sfu-eu-1"
                [media]
                udp_port = 10000
                tcp_port = 0
                ice_host_override = "media.example.org"
                stun_servers = ["stun.example.org:3478", "[2001:db8::1]:3478"]
                [limits]
                max_calls = 50
                """, Map.of());

        assertThat(c.node().name()).isEqualTo("sfu-eu-1");
        assertThat(c.media().udpPort()).isEqualTo(10000);
        assertThat(c.media().tcpEnabled()).isFalse();
        assertThat(c.media().iceHostOverride()).isEqualTo("media.example.org");
        assertThat(c.media().stunServers()).containsExactly("stun.example.org:3478", "[2001:db8::1]:3478");
        assertThat(c.limits().maxCalls()).isEqualTo(50);
        assertThat(c.media().bindAddress()).isEqualTo("0.0.0.0");
        assertThat(c.http()).isEqualTo(loadEnv(Map.of()).http());
    }

    @Test
    void environmentOverridesFile() throws IOException {
        SfuConfig c = load(dir, """
                [media]
                udp_port = 10000
                ice_host_override = "198.51.100.1"
                [limits]
                max_calls = 50
                """, Map.of(
                "SFU_MEDIA_UDP_PORT", "9000",
                "SFU_MEDIA_ICE_HOST_OVERRIDE", "10.0.0.5\n",
                "SFU_MEDIA_STUN_SERVERS", " stun1.example.org:3478 , stun2.example.org:3478,",
                "SFU_API_TOKEN", "abcdefghijklmnop",
                "PATH", "/usr/bin",
                "SFU_HOME", "/opt/sfu"));

        assertThat(c.media().udpPort()).isEqualTo(9000);
        assertThat(c.media().iceHostOverride()).isEqualTo("10.0.0.5");
        assertThat(c.media().stunServers()).containsExactly("stun1.example.org:3478", "stun2.example.org:3478");
        assertThat(c.api().token()).isEqualTo("abcdefghijklmnop");
        assertThat(c.limits().maxCalls()).isEqualTo(50);
    }

    @Test
    void fileSetsBooleansAuthAndTheCpuLimit() throws IOException {
        String secret = "x".repeat(40);
        SfuConfig c = load(dir, """
                [api]
                metrics_open = true
                [auth]
                join_token_secret = "%s"
                dev_tokens = true
                [limits]
                overload_cpu_percent = 60
                """.formatted(secret), Map.of());

        assertThat(c.api().metricsOpen()).isTrue();
        assertThat(c.auth().joinTokenSecret()).isEqualTo(secret);
        assertThat(c.auth().devTokens()).isTrue();
        assertThat(c.limits().overloadCpuPercent()).isEqualTo(60);
        assertThat(c.api().token()).isEmpty();
    }

    @Test
    void environmentSetsBooleansAndOverridesTheFile() throws IOException {
        SfuConfig c = load(dir, "[api]\nmetrics_open = true\n[auth]\ndev_tokens = false\n",
                Map.of("SFU_API_METRICS_OPEN", "false", "SFU_AUTH_DEV_TOKENS", "true\n"));

        assertThat(c.api().metricsOpen()).isFalse();
        assertThat(c.auth().devTokens()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "1", "0", "TRUE", "False", "on", "", "true false"})
    void booleanInEnvironmentIsOnlyTrueOrFalse(String value) {
        for (ConfigKey key : List.of(ConfigKey.API_METRICS_OPEN, ConfigKey.AUTH_DEV_TOKENS)) {
            ConfigException e = envFailure(Map.of(key.envName(), value));

            assertThat(e.problems()).containsExactly(new ConfigProblem(key.key(), "\"" + value + "\"",
                    "expected true or false; set by " + key.envName(), "true or false"));
        }
    }

    @Test
    void booleanInFileMustBeATomlBoolean() throws IOException {
        ConfigException e = failure(dir, "[api]\nmetrics_open = \"true\"\n[auth]\ndev_tokens = 1\n");

        assertThat(e.getMessage()).contains(
                "api.metrics_open = \"true\": expected a boolean, got a string (allowed: true or false)",
                "auth.dev_tokens = 1: expected a boolean, got an integer (allowed: true or false)");
    }

    @Test
    void misspeltAuthKeysAreRefusedWithoutLeakingTheSecret() throws IOException {
        ConfigException e = failure(write(dir, "[auth]\njoin_secret = \"hunter2hunter2\"\njoin_token_secret = 987654321\n"),
                Map.of("SFU_AUTH_SECRET", "hunter2hunter2hunter2", "SFU_AUHT_DEV_TOKENS", "true"));

        assertThat(keys(e)).containsExactly("auth.join_secret", "auth.join_token_secret", "SFU_AUHT_DEV_TOKENS",
                "SFU_AUTH_SECRET");
        assertThat(e.getMessage()).doesNotContain("hunter2").doesNotContain("987654321")
                .contains("auth.join_secret = <not shown>: unknown key in [auth] (allowed: join_token_secret, dev_tokens)")
                .contains("auth.join_token_secret = \"<masked>\": expected a string, got an integer")
                .contains("(allowed: SFU_AUTH_DEV_TOKENS)");
    }

    @Test
    void emptyEnvironmentValueMeansAutomaticAgain() throws IOException {
        SfuConfig c = load(dir, "[node]\nname = \"from-file\"\n", Map.of("SFU_NODE_NAME", ""));

        assertThat(c.node().name()).isEqualTo("test-node");
    }

    @Test
    void emptyFileMeansDefaults() throws IOException {
        assertThat(load(dir, "# nothing\n", Map.of())).isEqualTo(loadEnv(Map.of()));
    }

    @Test
    void missingFileGivenExplicitlyIsAnErrorNamingThePath() {
        Path missing = dir.resolve("nope/sfu.toml");

        ConfigException e = failure(missing, Map.of());

        assertThat(e.problems()).containsExactly(
                new ConfigProblem("config file", "\"" + missing + "\"", "file not found", ""));
        assertThat(e.getMessage()).contains(missing.toString());
    }

    @Test
    void directoryInsteadOfFileIsRefused() {
        assertThat(failure(dir, Map.of()).getMessage()).contains("config file = \"" + dir + "\": is a directory");
    }

    @Test
    void syntaxErrorNamesTheLine() throws IOException {
        ConfigException e = failure(dir, "[media]\nudp_port = 1\nudp_port = 2\n");

        assertThat(e.getMessage()).contains("config file").contains("not valid TOML at line 4").contains("Duplicate key");
    }

    @Test
    void unknownKeyIsRefusedAndTheKnownKeysListed() throws IOException {
        ConfigException e = failure(dir, "[media]\nudp_prot = 9000\n");

        assertThat(e.problems()).hasSize(1);
        assertThat(e.getMessage()).contains("media.udp_prot = <not shown>: unknown key in [media] (allowed: bind_address, "
                + "udp_port, tcp_port, ice_host_override, stun_servers, udp_socket_buffer_bytes, udp_enabled, "
                + "tcp_max_connections, turn_urls, turn_secret, turn_credential_ttl_seconds, video_codecs)");
    }

    @Test
    void nestedTableInsideASectionIsAnUnknownKey() throws IOException {
        assertThat(keys(failure(dir, "[media.extra]\nx = 1\n"))).containsExactly("media.extra");
    }

    @Test
    void unknownSectionIsRefused() throws IOException {
        ConfigException e = failure(dir, "[medai]\nudp_port = 9000\n");

        assertThat(e.getMessage()).contains("medai = {...}: unknown section [medai] "
                + "(allowed: [node], [media], [http], [api], [auth], [limits])");
    }

    @Test
    void keyOutsideAnySectionIsRefused() throws IOException {
        assertThat(failure(dir, "udp_port = 9000\n").getMessage())
                .contains("udp_port = <not shown>: key outside any section");
    }

    @Test
    void sectionThatIsNotATableIsRefused() throws IOException {
        assertThat(failure(dir, "media = 5\n").getMessage()).contains("media = 5: expected a table [media], got an integer");
    }

    @Test
    void unknownEnvironmentVariableForOurSectionIsRefused() {
        ConfigException e = envFailure(Map.of("SFU_MEDIA_FOO", "1"));

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("SFU_MEDIA_FOO");
            assertThat(p.reason()).isEqualTo("unknown environment variable for [media]");
            assertThat(p.allowed()).contains("SFU_MEDIA_UDP_PORT", "SFU_MEDIA_ICE_HOST_OVERRIDE");
        });
    }

    @Test
    void misspeltSectionInEnvironmentIsRefusedWithTheLikelyName() {
        ConfigException e = envFailure(Map.of("SFU_MEDAI_UDP_PORT", "9000"));

        assertThat(e.getMessage()).contains("SFU_MEDAI_UDP_PORT = <not shown>: unknown section MEDAI in environment variable "
                + "(allowed: SFU_MEDIA_UDP_PORT)");
    }

    @Test
    void misspeltSecretDoesNotLeakItsValue() throws IOException {
        ConfigException e = failure(write(dir, "[api]\ntokne = \"hunter2hunter2\"\n"),
                Map.of("SFU_API_TOKNE", "hunter2hunter2hunter2"));

        assertThat(keys(e)).containsExactly("api.tokne", "SFU_API_TOKNE");
        assertThat(e.getMessage()).doesNotContain("hunter2");
    }

    @Test
    void unrelatedSfuVariablesAreLeftAlone() {
        assertThat(loadEnv(Map.of("SFU_HOME", "/opt/sfu", "SFU_CONFIG_FILE", "/etc/sfu.toml", "SFU_X", "1")))
                .isEqualTo(loadEnv(Map.of()));
    }

    @Test
    void wrongTypeInFileNamesKeyAndExpectedType() throws IOException {
        ConfigException e = failure(dir, "[http]\nport = \"abc\"\n");

        // The stand-in default is not checked again, so one mistake gives one line.
        assertThat(e.problems()).containsExactly(
                new ConfigProblem("http.port", "\"abc\"", "expected an integer, got a string", "1..65535"));
        assertThat(e.getMessage()).contains("http.port = \"abc\": expected an integer, got a string (allowed: 1..65535)");
    }

    @Test
    void wrongTypeInEnvironmentNamesKeyTypeAndVariable() {
        ConfigException e = envFailure(Map.of("SFU_HTTP_PORT", "abc"));

        assertThat(e.getMessage()).contains(
                "http.port = \"abc\": expected an integer; set by SFU_HTTP_PORT (allowed: 1..65535)");
    }

    @Test
    void otherWrongTypesAreNamed() throws IOException {
        ConfigException e = failure(dir, """
                [node]
                name = 42
                [media]
                udp_port = 9000.5
                stun_servers = "stun.example.org:3478"
                [http]
                port = 99999999999999999999
                [limits]
                max_calls = [1]
                [api]
                token = 1234567890123456789
                """);

        assertThat(e.getMessage()).contains(
                "node.name = 42: expected a string, got an integer",
                "media.udp_port = 9000.5: expected an integer, got a float",
                "media.stun_servers = \"stun.example.org:3478\": expected an array of strings, got a string",
                "http.port = 99999999999999999999: out of range (allowed: 1..65535)",
                "limits.max_calls = [1]: expected an integer, got an array",
                "api.token = \"<masked>\": expected a string, got an integer");
        assertThat(e.getMessage()).doesNotContain("1234567890123456789");
        assertThat(failure(dir, "[media]\nstun_servers = [\"a:1\", 2]\n").getMessage())
                .contains("expected an array of strings, got an array with a non-string element");
    }

    @Test
    void hugeIntegerInEnvironmentIsOutOfRangeNotATypeError() {
        assertThat(envFailure(Map.of("SFU_LIMITS_MAX_CALLS", "99999999999999999999")).getMessage())
                .contains("limits.max_calls = \"99999999999999999999\": out of range; set by SFU_LIMITS_MAX_CALLS");
    }

    @Test
    void everyProblemIsReportedTogetherOnePerLine() throws IOException {
        Path file = write(dir, """
                [media]
                udp_prot = 1
                udp_port = 0
                [http]
                port = "abc"
                max_message_bytes = 10
                [limitz]
                max_calls = 1
                """);

        ConfigException e = failure(file, Map.of("SFU_LIMITS_MAX_CALLS", "0", "SFU_API_LISTEN_ADDRESS", "localhost"));

        assertThat(keys(e)).containsExactlyInAnyOrder("media.udp_prot", "http.port", "limitz", "media.udp_port",
                "http.max_message_bytes", "limits.max_calls", "api.listen_address");
        assertThat(e.getMessage().lines().skip(1).toList())
                .containsExactlyElementsOf(e.problems().stream().map(ConfigProblem::toString).toList());
        assertThat(e.getMessage().lines().findFirst()).hasValue("invalid configuration, 7 problems:");
    }

    @Test
    void fileTypeErrorIsReportedEvenWhenTheEnvironmentOverridesIt() throws IOException {
        Path file = write(dir, "[http]\nport = \"abc\"\n");

        assertThat(keys(failure(file, Map.of("SFU_HTTP_PORT", "8081")))).containsExactly("http.port");
    }
}
