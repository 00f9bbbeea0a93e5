package io.sfufleet.model.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shared reader and validator as the console uses them, away from the node's machine: host
 * checks deferred, values typed in by an operator. The server's own use is covered by sfu-server's
 * config tests, which run through the same classes.
 */
class ConfigReaderTest {

    @Test
    void defaultsAreValidAwayFromTheHostWithAutomaticValuesLeftEmpty() {
        var reader = ConfigReader.defaults();
        assertThat(reader.validate(HostChecks.deferred())).isEmpty();
        assertThat(reader.value(ConfigKey.NODE_NAME)).isEqualTo("");
        assertThat(reader.value(ConfigKey.MEDIA_ICE_HOST_OVERRIDE)).isEqualTo("");
    }

    @Test
    void onTheHostAnEmptyHostNameIsStillAProblem() {
        HostChecks nameless = new HostChecks() {
            @Override
            public String hostName() {
                return "";
            }

            @Override
            public java.util.Optional<String> firstUpIpv4Address() {
                return java.util.Optional.empty();
            }

            @Override
            public String unreadableFile(String path) {
                return "file not found";
            }
        };
        var problems = ConfigReader.defaults().resolveAutomatic(nameless).validate(nameless);
        assertThat(problems).extracting(ConfigProblem::key).containsExactly("node.name");
        assertThat(problems.getFirst().reason()).contains("host name could not be found out");
    }

    @Test
    void tlsFilesAreCheckedOnlyWhereTheNodeRuns() {
        var reader = ConfigReader.defaults().set(ConfigKey.HTTP_TLS_CERT_FILE, "/etc/sfu/cert.pem", "test")
                .set(ConfigKey.HTTP_TLS_KEY_FILE, "/etc/sfu/key.pem", "test");
        assertThat(reader.validate(HostChecks.deferred())).isEmpty();
    }

    @Test
    void typedTextIsParsedPerTypeAndABadValueNamesKeyValueAndReason() {
        var reader = ConfigReader.defaults()
                .set(ConfigKey.LIMITS_MAX_CALLS, "500", "set with config set")
                .set(ConfigKey.AUTH_DEV_TOKENS, "true", "set with config set")
                .set(ConfigKey.MEDIA_STUN_SERVERS, "stun1.example:3478, stun2.example:3478", "set with config set");
        assertThat(reader.validate(HostChecks.deferred())).isEmpty();
        assertThat(reader.value(ConfigKey.LIMITS_MAX_CALLS)).isEqualTo(500L);
        assertThat(reader.value(ConfigKey.AUTH_DEV_TOKENS)).isEqualTo(true);
        assertThat(reader.value(ConfigKey.MEDIA_STUN_SERVERS)).isEqualTo(List.of("stun1.example:3478", "stun2.example:3478"));

        var bad = ConfigReader.defaults().set(ConfigKey.MEDIA_UDP_PORT, "70000", "set with config set")
                .set(ConfigKey.AUTH_DEV_TOKENS, "yes", "set with config set")
                .validate(HostChecks.deferred());
        assertThat(bad).extracting(ConfigProblem::toString).containsExactlyInAnyOrder(
                "media.udp_port = 70000: out of range; set with config set (allowed: 1..65535)",
                "auth.dev_tokens = \"yes\": expected true or false; set with config set (allowed: true or false)");
    }

    @Test
    void videoCodecsTakeKnownNamesOnceAndAtLeastOne() {
        var reader = ConfigReader.defaults().text("[media]\nvideo_codecs = [\"vp9\", \"vp8\"]\n", "host file");
        assertThat(reader.validate(HostChecks.deferred())).isEmpty();
        assertThat(reader.value(ConfigKey.MEDIA_VIDEO_CODECS)).isEqualTo(List.of("vp9", "vp8"));

        var bad = ConfigReader.defaults().text("[media]\nvideo_codecs = [\"vp9\", \"hevc\", \"vp9\"]\n", "host file")
                .validate(HostChecks.deferred());
        assertThat(bad).extracting(ConfigProblem::toString).containsExactlyInAnyOrder(
                "media.video_codecs = hevc: not a codec the node forwards"
                        + " (allowed: a list of vp8, vp9, av1 and h264, each at most once, at least one)",
                "media.video_codecs = vp9: listed twice"
                        + " (allowed: a list of vp8, vp9, av1 and h264, each at most once, at least one)");
        assertThat(ConfigReader.defaults().text("[media]\nvideo_codecs = []\n", "host file").validate(HostChecks.deferred()))
                .extracting(ConfigProblem::toString).singleElement().asString()
                .contains("media.video_codecs").contains("empty: no camera or screen could be published");
    }

    @Test
    void textReportsUnknownKeysAndRemembersWhichKeysTheFileSets() {
        var reader = ConfigReader.defaults().text("[limits]\nmax_calls = 7\n[media]\nudp_prot = 1\n", "host file");
        assertThat(reader.keysInFile()).containsExactly(ConfigKey.LIMITS_MAX_CALLS);
        assertThat(reader.problems()).extracting(ConfigProblem::key).containsExactly("media.udp_prot");

        var broken = ConfigReader.defaults().text("[limits\n", "edge-a:/opt/sfu/etc/sfu.toml");
        assertThat(broken.problems()).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo(ConfigReader.FILE_KEY);
            assertThat(p.value()).isEqualTo("\"edge-a:/opt/sfu/etc/sfu.toml\"");
            assertThat(p.reason()).startsWith("not valid TOML at line 1");
        });
    }

    @Test
    void setValueRefusesTheWrongJavaType() {
        assertThatThrownBy(() -> ConfigReader.defaults().setValue(ConfigKey.MEDIA_UDP_PORT, "8443"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("media.udp_port takes an integer");
    }

    @Test
    void renderFileLeavesSecretsOutAndReadsBackToTheSameValues() {
        var values = new java.util.EnumMap<>(ConfigReader.defaults().values());
        values.put(ConfigKey.API_TOKEN, "a-very-secret-token-123");
        values.put(ConfigKey.LIMITS_MAX_CALLS, 12L);
        values.put(ConfigKey.MEDIA_TURN_URLS, List.of("turn:turn.example:3478?transport=udp"));
        String toml = ConfigRenderer.renderFile("line one\nline two", values);
        assertThat(toml).startsWith("# line one\n# line two\n").doesNotContain("a-very-secret-token-123")
                .doesNotContain("token =").doesNotContain("join_token_secret").doesNotContain("turn_secret");
        var back = ConfigReader.defaults().text(toml, "rendered");
        assertThat(back.problems()).isEmpty();
        for (ConfigKey key : ConfigKey.values()) {
            if (!key.isSecret()) {
                assertThat(back.value(key)).as(key.key()).isEqualTo(values.get(key));
            }
        }
        assertThat(back.keysInFile()).hasSize((int) java.util.Arrays.stream(ConfigKey.values())
                .filter(k -> !k.isSecret()).count());
    }
}
