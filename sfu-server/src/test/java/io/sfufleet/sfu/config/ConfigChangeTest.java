package io.sfufleet.sfu.config;

import static io.sfufleet.sfu.config.ConfigFixtures.loadEnv;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import io.sfufleet.model.config.ConfigKey;

class ConfigChangeTest {
    private static final String TOKEN = "s3cr3t-t0ken-0123456789";
    private static final String SECRET = "j0in-s3cret-0123456789-0123456789";
    private static final String OTHER_SECRET = "j0in-s3cret-9876543210-9876543210";
    private static final List<String> ALL_KEYS = Arrays.stream(ConfigKey.values()).map(ConfigKey::key).toList();

    @TempDir
    Path dir;

    @Test
    void hotKeysAreTheTokensTheAuthSectionAndEveryLimit() {
        List<String> hot = Arrays.stream(ConfigKey.values()).filter(ConfigKey::isHot).map(ConfigKey::key).toList();

        assertThat(hot).containsExactly("api.token", "api.metrics_open", "auth.join_token_secret", "auth.dev_tokens",
                "limits.max_calls", "limits.max_participants_per_call", "limits.keyframe_min_interval_ms",
                "limits.ws_idle_timeout_seconds", "limits.overload_cpu_percent", "limits.consent_timeout_seconds",
                "limits.max_audio_streams", "limits.max_video_streams");
        assertThat(ConfigKey.Section.LIMITS.keys()).allMatch(ConfigKey::isHot);
        assertThat(ConfigKey.Section.MEDIA.keys()).noneMatch(ConfigKey::isHot);
        assertThat(ConfigKey.HTTP_TLS_CERT_FILE.reload()).isEqualTo(ConfigKey.Reload.RESTART);
    }

    @Test
    void sameConfigurationChangesNothing() {
        SfuConfig c = loadEnv(Map.of("SFU_API_TOKEN", TOKEN, "SFU_AUTH_JOIN_TOKEN_SECRET", SECRET));

        ConfigChange change = ConfigChange.between(c, loadEnv(Map.of("SFU_API_TOKEN", TOKEN,
                "SFU_AUTH_JOIN_TOKEN_SECRET", SECRET)));

        assertThat(change.isEmpty()).isTrue();
        assertThat(change.applied()).isEmpty();
        assertThat(change.needsRestart()).isEmpty();
        assertThat(change.unchanged()).containsExactlyElementsOf(ALL_KEYS);
        assertThat(change).hasToString("configuration unchanged");
    }

    /** Each key changed on its own lands in exactly one list, the one its {@link ConfigKey.Reload} names. */
    @ParameterizedTest
    @EnumSource(ConfigKey.class)
    void everyKeyChangedAloneIsSortedByItsReloadKind(ConfigKey key) throws IOException {
        Map<String, String> base = baseEnv();
        var changed = new HashMap<>(base);
        changed.put(key.envName(), changedValue(key));

        ConfigChange change = ConfigChange.between(loadEnv(base), loadEnv(changed));

        assertThat(change.isEmpty()).isFalse();
        assertThat(key.isHot() ? change.applied() : change.needsRestart()).containsExactly(key.key());
        assertThat(key.isHot() ? change.needsRestart() : change.applied()).isEmpty();
        assertThat(change.unchanged()).hasSize(ALL_KEYS.size() - 1).doesNotContain(key.key());
        assertThat(change.toString()).startsWith("configuration changed: ").contains(key.key() + " = ")
                .doesNotContain(TOKEN).doesNotContain("j0in");
    }

    @Test
    void severalChangesAreListedInTableOrderWithOldAndNewValues() {
        SfuConfig old = loadEnv(Map.of());
        SfuConfig next = loadEnv(Map.of("SFU_LIMITS_MAX_CALLS", "50", "SFU_MEDIA_UDP_PORT", "9000",
                "SFU_API_TOKEN", TOKEN, "SFU_NODE_NAME", "eu-1", "SFU_API_METRICS_OPEN", "true"));

        ConfigChange change = ConfigChange.between(old, next);

        assertThat(change.applied()).containsExactly("api.token", "api.metrics_open", "limits.max_calls");
        assertThat(change.needsRestart()).containsExactly("node.name", "media.udp_port");
        assertThat(change.unchanged()).hasSize(ALL_KEYS.size() - 5).contains("media.tcp_port", "auth.dev_tokens");
        assertThat(change.toString()).isEqualTo("""
                configuration changed: 3 applied, 2 need a restart
                node.name = "test-node" -> "eu-1" (needs a restart)
                media.udp_port = 8443 -> 9000 (needs a restart)
                api.token = "" -> "<masked>"
                api.metrics_open = false -> true
                limits.max_calls = 1000 -> 50""");
    }

    @Test
    void secretsAreComparedButNeverPrinted() {
        SfuConfig one = loadEnv(Map.of("SFU_AUTH_JOIN_TOKEN_SECRET", SECRET, "SFU_API_TOKEN", TOKEN));
        SfuConfig other = loadEnv(Map.of("SFU_AUTH_JOIN_TOKEN_SECRET", OTHER_SECRET, "SFU_API_TOKEN", TOKEN));

        ConfigChange change = ConfigChange.between(one, other);

        assertThat(change.applied()).containsExactly("auth.join_token_secret");
        assertThat(change.needsRestart()).isEmpty();
        assertThat(change.toString()).doesNotContain("j0in").doesNotContain(TOKEN)
                .endsWith("\nauth.join_token_secret = \"<masked>\" -> \"<masked>\"");
        assertThat(ConfigChange.between(other, loadEnv(Map.of())).toString())
                .contains("api.token = \"<masked>\" -> \"\"", "auth.join_token_secret = \"<masked>\" -> \"\"")
                .doesNotContain("j0in").doesNotContain(TOKEN);
    }

    @Test
    void emptySecretStaysEmptySoAReloadKeepsTheNodesRandomOne() {
        assertThat(ConfigChange.between(loadEnv(Map.of()), loadEnv(Map.of())).unchanged())
                .contains("auth.join_token_secret");
    }

    @Test
    void listsCannotBeModified() {
        ConfigChange change = ConfigChange.between(loadEnv(Map.of()), loadEnv(Map.of("SFU_LIMITS_MAX_CALLS", "5")));

        assertThat(change.applied()).isUnmodifiable();
        assertThat(change.needsRestart()).isUnmodifiable();
        assertThat(change.unchanged()).isUnmodifiable();
    }

    /** Both listeners with TLS, so a single certificate or key file can change on its own. */
    private Map<String, String> baseEnv() throws IOException {
        var env = new HashMap<String, String>();
        // set, so that turn_urls changed alone is valid (it needs a secret)
        env.put("SFU_MEDIA_TURN_SECRET", "base-turn-secret-0123456789");
        for (String listener : List.of("HTTP", "API")) {
            env.put("SFU_" + listener + "_TLS_CERT_FILE", pem("cert.pem"));
            env.put("SFU_" + listener + "_TLS_KEY_FILE", pem("key.pem"));
        }
        return env;
    }

    /** A valid value different from the one {@link #baseEnv()} gives {@code key}. */
    private String changedValue(ConfigKey key) throws IOException {
        return switch (key.type()) {
            case INTEGER -> Long.toString(key.min() == (Long) key.defaultValue() ? key.max() : key.min());
            case BOOLEAN -> Boolean.toString(!(Boolean) key.defaultValue());
            case STRING_LIST -> switch (key) {
                case MEDIA_TURN_URLS -> "turn:turn.example.org:3478";
                case MEDIA_VIDEO_CODECS -> "vp9,vp8";
                default -> "stun.example.org:3478";
            };
            case STRING -> switch (key) {
                case NODE_NAME -> "other-node";
                case MEDIA_BIND_ADDRESS -> "127.0.0.1";
                case MEDIA_ICE_HOST_OVERRIDE -> "198.51.100.7";
                case HTTP_LISTEN_ADDRESS -> "127.0.0.2";
                case API_LISTEN_ADDRESS -> "::1";
                case API_TOKEN -> TOKEN;
                case AUTH_JOIN_TOKEN_SECRET -> SECRET;
                case MEDIA_TURN_SECRET -> "another-turn-secret-0123456789";
                case HTTP_TLS_CERT_FILE, API_TLS_CERT_FILE -> pem("other-cert.pem");
                case HTTP_TLS_KEY_FILE, API_TLS_KEY_FILE -> pem("other-key.pem");
                default -> throw new AssertionError("give " + key.key() + " a changed value in this test");
            };
        };
    }

    private String pem(String name) throws IOException {
        Path file = dir.resolve(name);
        if (!Files.exists(file)) {
            Files.writeString(file, "x");
        }
        return file.toString();
    }
}
