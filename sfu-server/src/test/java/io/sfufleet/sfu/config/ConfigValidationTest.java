package io.sfufleet.sfu.config;

import static io.sfufleet.sfu.config.ConfigFixtures.envFailure;
import static io.sfufleet.sfu.config.ConfigFixtures.keys;
import static io.sfufleet.sfu.config.ConfigFixtures.loadEnv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import io.sfufleet.model.config.ConfigKey;
import io.sfufleet.model.config.ConfigProblem;

/** One rule at a time, set through the environment; each failure must name the exact key. */
class ConfigValidationTest {
    @TempDir
    Path dir;

    static Stream<ConfigKey> integerKeys() {
        return Arrays.stream(ConfigKey.values()).filter(k -> k.type() == ConfigKey.Type.INTEGER);
    }

    @ParameterizedTest
    @MethodSource("integerKeys")
    void integerJustOutsideItsRangeIsRefusedWithTheRange(ConfigKey key) {
        for (long value : new long[] {key.min() - 1, key.max() + 1}) {
            ConfigException e = envFailure(Map.of(key.envName(), Long.toString(value)));

            assertThat(e.problems()).singleElement().satisfies(p -> {
                assertThat(p.key()).isEqualTo(key.key());
                assertThat(p.value()).isEqualTo(Long.toString(value));
                assertThat(p.reason()).isEqualTo("out of range; set by " + key.envName());
                assertThat(p.allowed()).isEqualTo(key.allowed());
            });
        }
    }

    @ParameterizedTest
    @MethodSource("integerKeys")
    void integerOnItsBoundsIsAccepted(ConfigKey key) {
        for (long value : new long[] {key.min(), key.max()}) {
            SfuConfig c = loadEnv(Map.of(key.envName(), Long.toString(value)));

            assertThat(c.value(key)).isEqualTo(value);
        }
    }

    @Test
    void rangeMessageReadsAsDocumented() {
        assertThat(envFailure(Map.of("SFU_MEDIA_UDP_PORT", "70000")).getMessage())
                .contains("media.udp_port = 70000: out of range; set by SFU_MEDIA_UDP_PORT (allowed: 1..65535)");
        assertThat(envFailure(Map.of("SFU_MEDIA_TCP_PORT", "-1")).getMessage())
                .contains("(allowed: 0 (off) or 1..65535)");
    }

    static Stream<Arguments> badBindAddresses() {
        return Stream.of("SFU_MEDIA_BIND_ADDRESS", "SFU_HTTP_LISTEN_ADDRESS", "SFU_API_LISTEN_ADDRESS")
                .flatMap(env -> Stream.of("localhost", "10.0.0", "256.1.1.1", "010.0.0.1", "[::1]", "1:2:3", "")
                        .map(value -> Arguments.of(env, value)));
    }

    @ParameterizedTest
    @MethodSource("badBindAddresses")
    void bindAddressMustBeAnIpLiteral(String env, String value) {
        String key = ConfigKey.ofEnvName(env).orElseThrow().key();

        ConfigException e = envFailure(Map.of(env, value));

        assertThat(keys(e)).containsExactly(key);
        assertThat(e.getMessage()).contains(key + " = \"" + value + "\": not an IP address literal");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "10.1.2.3", "::", "::1", "fe80::1", "2001:db8::7"})
    void bindAddressLiteralsAreAccepted(String value) {
        assertThat(loadEnv(Map.of("SFU_MEDIA_BIND_ADDRESS", value)).media().bindAddress()).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.5", "2001:db8::5", "127.0.0.1", "sfu.example.org", "sfu-1", "sfu.example.org.",
            // .invalid never resolves: accepted, which shows nothing is looked up (air-gapped sites)
            "media.sfu.invalid"})
    void iceHostOverrideTakesLiteralsAndHostNamesWithoutResolving(String value) {
        assertThat(loadEnv(Map.of("SFU_MEDIA_ICE_HOST_OVERRIDE", value)).media().iceHostOverride()).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "::", "224.0.0.1", "10.0.0.256", "-bad.example.org", "has space", "a..b",
            "http://sfu.example.org", "sfu.example.org:8443", "under_score.example.org"})
    void iceHostOverrideRefusesWhatBrowsersCannotReach(String value) {
        ConfigException e = envFailure(Map.of("SFU_MEDIA_ICE_HOST_OVERRIDE", value));

        assertThat(keys(e)).containsExactly("media.ice_host_override");
        assertThat(e.problems().getFirst().allowed()).isEqualTo(ConfigKey.MEDIA_ICE_HOST_OVERRIDE.allowed());
    }

    @Test
    void hostNameOver253CharactersIsRefused() {
        String longName = ("a".repeat(63) + ".").repeat(4) + "org";

        assertThat(keys(envFailure(Map.of("SFU_MEDIA_ICE_HOST_OVERRIDE", longName))))
                .containsExactly("media.ice_host_override");
    }

    @ParameterizedTest
    @ValueSource(strings = {"stun.example.org:3478", "192.0.2.1:3478", "[2001:db8::1]:3478", "stun:19302"})
    void stunServerEntriesAccepted(String entry) {
        assertThat(loadEnv(Map.of("SFU_MEDIA_STUN_SERVERS", entry)).media().stunServers()).containsExactly(entry);
    }

    @ParameterizedTest
    @ValueSource(strings = {"stun.example.org", "stun:stun.example.org:3478", "stun.example.org:0",
            "stun.example.org:70000", "stun.example.org:http", "[::1]", "2001:db8::1:3478", "[stun.example.org]:3478",
            "bad host:3478", ":3478"})
    void stunServerEntriesRefusedWithTheirIndex(String entry) {
        ConfigException e = envFailure(Map.of("SFU_MEDIA_STUN_SERVERS", "stun.example.org:3478," + entry));

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("media.stun_servers[1]");
            assertThat(p.value()).isEqualTo("\"" + entry + "\"");
            assertThat(p.allowed()).contains("host:port");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"my node", "-node", "n\u00e9ud", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "a/b"})
    void nodeNameSyntaxIsChecked(String name) {
        ConfigException e = envFailure(Map.of("SFU_NODE_NAME", name));

        assertThat(keys(e)).containsExactly("node.name");
    }

    @Test
    void badHostNameIsReportedAsComingFromTheHost() {
        var host = HostEnvironment.fixed("bad host", "192.0.2.10");

        var e = catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.load(null, Map.of(), host));

        assertThat(e.getMessage()).contains("node.name = \"bad host\": not a valid node name; taken from the host name");
        assertThat(ConfigLoader.load(null, Map.of("SFU_NODE_NAME", "good-name"), host).node().name()).isEqualTo("good-name");
    }

    @Test
    void unknownHostNameAsksForAnExplicitName() {
        var e = catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.load(null, Map.of(), HostEnvironment.fixed("", null)));

        assertThat(e.getMessage()).contains("node.name = \"\": the host name could not be found out");
    }

    /** The client listener ([http]) and the admin API ([api]) follow the same TLS rules. */
    @ParameterizedTest
    @ValueSource(strings = {"http", "api"})
    void tlsNeedsBothFiles(String section) throws IOException {
        String cert = Files.writeString(dir.resolve("cert.pem"), "x").toString();
        String key = Files.writeString(dir.resolve("key.pem"), "x").toString();
        String env = "SFU_" + section.toUpperCase(Locale.ROOT) + "_";

        ConfigException e = envFailure(Map.of(env + "TLS_CERT_FILE", cert));
        assertThat(keys(e)).containsExactly(section + ".tls_key_file");
        assertThat(e.getMessage()).contains(section + ".tls_key_file = \"\": required when " + section
                + ".tls_cert_file is set (allowed: empty, or a readable PEM file; set together with tls_cert_file)");
        assertThat(envFailure(Map.of(env + "TLS_KEY_FILE", key)).getMessage())
                .contains(section + ".tls_cert_file = \"\": required when " + section + ".tls_key_file is set");

        SfuConfig both = loadEnv(Map.of(env + "TLS_CERT_FILE", cert, env + "TLS_KEY_FILE", key));
        boolean httpTls = section.equals("http");
        assertThat(both.http().tlsEnabled()).isEqualTo(httpTls);
        assertThat(both.api().tlsEnabled()).isEqualTo(!httpTls);
        assertThat(httpTls ? both.http().tlsKeyFile() : both.api().tlsKeyFile()).isEqualTo(key);
        assertThat(httpTls ? both.http().tlsCertFile() : both.api().tlsCertFile()).isEqualTo(cert);
        assertThat(loadEnv(Map.of()).http().tlsEnabled()).isFalse();
        assertThat(loadEnv(Map.of()).api().tlsEnabled()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http", "api"})
    void tlsFilesMustExistAndBeRegularFiles(String section) throws IOException {
        String cert = Files.writeString(dir.resolve("cert.pem"), "x").toString();
        String missing = dir.resolve("missing.pem").toString();
        String env = "SFU_" + section.toUpperCase(Locale.ROOT) + "_";

        ConfigException e = envFailure(Map.of(env + "TLS_CERT_FILE", cert, env + "TLS_KEY_FILE", missing));
        assertThat(e.getMessage()).contains(section + ".tls_key_file = \"" + missing + "\": file not found; set by "
                + env + "TLS_KEY_FILE");

        e = envFailure(Map.of(env + "TLS_CERT_FILE", dir.toString(), env + "TLS_KEY_FILE", cert));
        assertThat(keys(e)).containsExactly(section + ".tls_cert_file");
        assertThat(e.getMessage()).contains("not a regular file");
    }

    @Test
    void bothListenersCanHaveTheirOwnCertificates() throws IOException {
        String cert = Files.writeString(dir.resolve("cert.pem"), "x").toString();
        String key = Files.writeString(dir.resolve("key.pem"), "x").toString();
        String apiCert = Files.writeString(dir.resolve("api-cert.pem"), "x").toString();

        ConfigException e = envFailure(Map.of("SFU_HTTP_TLS_CERT_FILE", cert, "SFU_HTTP_TLS_KEY_FILE", key,
                "SFU_API_TLS_CERT_FILE", apiCert));
        assertThat(keys(e)).containsExactly("api.tls_key_file");

        SfuConfig c = loadEnv(Map.of("SFU_HTTP_TLS_CERT_FILE", cert, "SFU_HTTP_TLS_KEY_FILE", key,
                "SFU_API_TLS_CERT_FILE", apiCert, "SFU_API_TLS_KEY_FILE", key));
        assertThat(c.api().tlsCertFile()).isEqualTo(apiCert);
        assertThat(c.http().tlsCertFile()).isEqualTo(cert);
    }

    @Test
    void tokenSyntaxIsCheckedWithoutShowingTheToken() {
        ConfigException e = envFailure(Map.of("SFU_API_TOKEN", "short-secret"));

        assertThat(e.getMessage()).contains("api.token = \"<masked>\": not a valid token (12 characters)")
                .doesNotContain("short-secret");
        assertThat(envFailure(Map.of("SFU_API_TOKEN", "has spaces in the token")).getMessage())
                .doesNotContain("spaces");
        assertThat(loadEnv(Map.of("SFU_API_TOKEN", "A-z0-9._~+/=-xxxxxxxx")).api().token()).isEqualTo("A-z0-9._~+/=-xxxxxxxx");
    }

    @Test
    void maskedPlaceholderIsNeverAcceptedAsAToken() {
        assertThat(envFailure(Map.of("SFU_API_TOKEN", "<masked>")).getMessage())
                .contains("api.token = \"<masked>\": this is the placeholder of a printed configuration")
                .contains("SFU_API_TOKEN");
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 31})
    void joinTokenSecretShorterThan32CharactersIsRefusedWithoutShowingIt(int length) {
        String secret = "hunter2-".repeat(4).substring(0, length);

        ConfigException e = envFailure(Map.of("SFU_AUTH_JOIN_TOKEN_SECRET", secret));

        assertThat(e.problems()).containsExactly(new ConfigProblem("auth.join_token_secret", "\"<masked>\"",
                "too short (" + length + " characters); set by SFU_AUTH_JOIN_TOKEN_SECRET", "empty, or 32 to 512 characters"));
        assertThat(e.getMessage()).doesNotContain(secret);
    }

    @Test
    void joinTokenSecretLongerThan512CharactersIsRefusedWithoutShowingIt() throws IOException {
        String secret = "k".repeat(513);

        ConfigException e = ConfigFixtures.failure(dir, "[auth]\njoin_token_secret = \"" + secret + "\"\n");

        assertThat(e.getMessage()).contains("auth.join_token_secret = \"<masked>\": too long (513 characters) (allowed:")
                .doesNotContain("kkkk");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 32, 512})
    void joinTokenSecretOfAllowedLengthIsAccepted(int length) {
        // Any characters: the secret is never sent in a header, so it needs no restricted alphabet.
        String secret = "s3cr3t. !~".repeat(52).substring(0, length);

        assertThat(loadEnv(Map.of("SFU_AUTH_JOIN_TOKEN_SECRET", secret)).auth().joinTokenSecret()).isEqualTo(secret);
    }

    @Test
    void joinTokenSecretLengthCountsCharactersNotUtf16Units() {
        String secret = "\uD83D\uDD11".repeat(32); // 32 keys emoji, 64 UTF-16 units

        assertThat(loadEnv(Map.of("SFU_AUTH_JOIN_TOKEN_SECRET", secret)).auth().joinTokenSecret()).isEqualTo(secret);
        assertThat(envFailure(Map.of("SFU_AUTH_JOIN_TOKEN_SECRET", "\uD83D\uDD11".repeat(31))).getMessage())
                .contains("too short (31 characters)");
    }

    @Test
    void maskedPlaceholderIsNeverAcceptedAsAJoinTokenSecret() {
        assertThat(envFailure(Map.of("SFU_AUTH_JOIN_TOKEN_SECRET", "<masked>")).getMessage())
                .contains("auth.join_token_secret = \"<masked>\": this is the placeholder of a printed configuration,"
                        + " not a secret; supply the real one with SFU_AUTH_JOIN_TOKEN_SECRET");
    }

    @Test
    void adminApiReachableFromOtherHostsNeedsAToken() {
        ConfigException e = envFailure(Map.of("SFU_API_LISTEN_ADDRESS", "0.0.0.0"));

        assertThat(e.getMessage()).contains("api.token = \"\": required because api.listen_address = \"0.0.0.0\"");
        assertThat(loadEnv(Map.of("SFU_API_LISTEN_ADDRESS", "0.0.0.0", "SFU_API_TOKEN", "0123456789abcdef")).api().port())
                .isEqualTo(8045);
        assertThat(loadEnv(Map.of("SFU_API_LISTEN_ADDRESS", "::1")).api().token()).isEmpty();
    }

    @Test
    void httpAndApiPortsMustDifferOnOverlappingAddresses() {
        ConfigException e = envFailure(Map.of("SFU_API_PORT", "8080"));

        assertThat(e.getMessage()).contains(
                "api.port = 8080: same port as http.port on overlapping addresses 0.0.0.0 and 127.0.0.1");
        assertThat(loadEnv(Map.of("SFU_API_PORT", "8080", "SFU_HTTP_LISTEN_ADDRESS", "127.0.0.2")).api().port())
                .isEqualTo(8080);
    }

    @Test
    void httpPortMustDifferFromMediaPorts() {
        ConfigException e = envFailure(Map.of("SFU_HTTP_PORT", "8443"));

        assertThat(keys(e)).containsExactly("http.port", "media.tcp_port");
        assertThat(e.getMessage()).contains("http.port = 8443: same port as media.udp_port")
                .contains("media.tcp_port = 8443: same port as http.port");
        assertThat(keys(envFailure(Map.of("SFU_HTTP_PORT", "8443", "SFU_MEDIA_TCP_PORT", "0"))))
                .containsExactly("http.port");
    }

    @Test
    void apiPortMustDifferFromMediaUdpPortOnTheSameAddress() {
        assertThat(keys(envFailure(Map.of("SFU_API_PORT", "9000", "SFU_MEDIA_UDP_PORT", "9000"))))
                .containsExactly("api.port");
        assertThat(loadEnv(Map.of("SFU_API_PORT", "9000", "SFU_MEDIA_UDP_PORT", "9000",
                "SFU_MEDIA_BIND_ADDRESS", "10.0.0.1")).media().udpPort()).isEqualTo(9000);
    }

    @Test
    void udpOffNeedsTheTcpPort() {
        assertThat(envFailure(Map.of("SFU_MEDIA_UDP_ENABLED", "false", "SFU_MEDIA_TCP_PORT", "0")).getMessage())
                .contains("media.udp_enabled = false: media.tcp_port is 0, so no media transport would be left")
                .contains("allowed: true, or false with media.tcp_port set to 1..65535");
        SfuConfig tcpOnly = loadEnv(Map.of("SFU_MEDIA_UDP_ENABLED", "false"));
        assertThat(tcpOnly.media().udpEnabled()).isFalse();
        assertThat(tcpOnly.media().tcpPort()).isEqualTo(8443);
        assertThat(envFailure(Map.of("SFU_MEDIA_UDP_ENABLED", "maybe")).getMessage()).contains("media.udp_enabled");
        assertThat(envFailure(Map.of("SFU_MEDIA_TCP_MAX_CONNECTIONS", "0")).getMessage())
                .contains("media.tcp_max_connections = 0: out of range; set by SFU_MEDIA_TCP_MAX_CONNECTIONS (allowed: 1..100000)");
    }

    @Test
    void mediaUdpAndTcpMayShareTheirPortByDesign() {
        SfuConfig c = loadEnv(Map.of("SFU_MEDIA_UDP_PORT", "3478", "SFU_MEDIA_TCP_PORT", "3478"));

        assertThat(c.media().udpPort()).isEqualTo(c.media().tcpPort());
    }

    @Test
    void ipv6WildcardOverlapsIpv4Addresses() {
        assertThat(keys(envFailure(Map.of("SFU_HTTP_LISTEN_ADDRESS", "::", "SFU_HTTP_PORT", "8045"))))
                .containsExactly("api.port");
    }
}
