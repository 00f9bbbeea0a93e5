package io.sfufleet.console.provision.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sfufleet.console.provision.NodeSpec;
import io.sfufleet.model.config.ConfigKey;
import io.sfufleet.model.config.ConfigProblem;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeConfigTest {
    private static final NodeSpec SPEC = new NodeSpec("edge-a", "10.0.0.5", 9443, 9080, 9045, "10.0.0.5", "203.0.113.7");

    @Test
    void aNewHostGetsTheInstallChoicesAndDefaultsForEveryOtherKey() {
        NodeConfig c = NodeConfig.of(SPEC);
        assertThat(c.value(ConfigKey.NODE_NAME)).isEqualTo("edge-a");
        assertThat(c.value(ConfigKey.MEDIA_UDP_PORT)).isEqualTo(9443L);
        assertThat(c.value(ConfigKey.MEDIA_TCP_PORT)).isEqualTo(9443L);
        assertThat(c.value(ConfigKey.MEDIA_ICE_HOST_OVERRIDE)).isEqualTo("203.0.113.7");
        assertThat(c.value(ConfigKey.API_PORT)).isEqualTo(9045L);
        assertThat(c.value(ConfigKey.LIMITS_MAX_CALLS)).isEqualTo(1000L);
        // the install's file is this model's file
        assertThat(SPEC.toml()).isEqualTo(c.toml());
        assertThat(c.toml()).doesNotContain("\ntoken =").doesNotContain("join_token_secret").doesNotContain("turn_secret");
    }

    @Test
    void theEditorSeesEveryKeyButTheSecretsWithItsTypeRangeAndReload() {
        List<NodeConfig.Entry> entries = NodeConfig.of(SPEC).entries();
        assertThat(entries).hasSize(ConfigKey.values().length - 3);
        assertThat(entries).noneMatch(e -> e.key().isSecret());
        NodeConfig.Entry maxCalls = entries.stream().filter(e -> e.key() == ConfigKey.LIMITS_MAX_CALLS).findFirst()
                .orElseThrow();
        assertThat(maxCalls.hot()).isTrue();
        assertThat(maxCalls.type()).isEqualTo("an integer");
        assertThat(maxCalls.allowed()).isEqualTo("1..100000");
        assertThat(maxCalls.isDefault()).isTrue();
        NodeConfig.Entry udp = entries.stream().filter(e -> e.key() == ConfigKey.MEDIA_UDP_PORT).findFirst().orElseThrow();
        assertThat(udp.hot()).isFalse();
        assertThat(udp.value()).isEqualTo("9443");
        assertThat(udp.defaultValue()).isEqualTo("8443");
    }

    @Test
    void assignmentsAreTypedAndCheckedAsAWhole() {
        NodeConfig c = NodeConfig.of(SPEC).with(List.of("limits.max_calls=500", "auth.dev_tokens=true",
                "media.stun_servers=stun.example:3478,10.0.0.1:3478"));
        assertThat(c.value(ConfigKey.LIMITS_MAX_CALLS)).isEqualTo(500L);
        assertThat(c.value(ConfigKey.AUTH_DEV_TOKENS)).isEqualTo(true);
        assertThat(c.value(ConfigKey.MEDIA_STUN_SERVERS)).isEqualTo(List.of("stun.example:3478", "10.0.0.1:3478"));
        assertThat(NodeConfig.parse(c.toml(), "stored")).isEqualTo(c);
    }

    @Test
    void aBadValueIsRefusedNamingKeyValueAndReasonAndTheConfigIsUnchanged() {
        NodeConfig c = NodeConfig.of(SPEC);
        String before = c.toml();
        var e = catchThrowableOfType(ConfigRefusedException.class,
                () -> c.with(List.of("limits.max_calls=0", "media.udp_port=http")));
        assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactly(
                "media.udp_port = \"http\": expected an integer; set with config set (allowed: 1..65535)",
                "limits.max_calls = 0: out of range; set with config set (allowed: 1..100000)");
        assertThat(e).hasMessageStartingWith("the change is refused, nothing was stored or pushed:");
        assertThat(c.toml()).isEqualTo(before);
    }

    @Test
    void crossKeyRulesOfTheServerApply() {
        // the API on the client port: the server's port-conflict rule
        assertThatThrownBy(() -> NodeConfig.of(SPEC).with(List.of("api.port=9080")))
                .isInstanceOf(ConfigRefusedException.class)
                .hasMessageContaining("api.port = 9080: same port as http.port on overlapping addresses");
        assertThatThrownBy(() -> NodeConfig.of(SPEC).with(List.of("media.udp_enabled=false", "media.tcp_port=0")))
                .hasMessageContaining("media.tcp_port is 0, so no media transport would be left");
    }

    @Test
    void unknownKeysSecretsAndNonsenseAreRefused() {
        var e = catchThrowableOfType(ConfigRefusedException.class, () -> NodeConfig.of(SPEC).with(List.of(
                "limits.max_call=5", "api.token=abcdefghijklmnopqrstuvwxyz", "nonsense")));
        assertThat(e.problems()).extracting(ConfigProblem::key).containsExactly("limits.max_call", "api.token",
                "nonsense");
        assertThat(e.problems().get(0).reason()).isEqualTo("unknown key");
        assertThat(e.problems().get(1).allowed()).contains("sfu-server.env as SFU_API_TOKEN");
        assertThat(e.getMessage()).doesNotContain("abcdefghijklmnopqrstuvwxyz");
    }

    @Test
    void aStoredFileWithASecretOrAnUnknownKeyIsRefused() {
        assertThatThrownBy(() -> NodeConfig.parse("[api]\ntoken = \"abcdefghijklmnopqrstuvwxyz\"\n", "stored"))
                .isInstanceOf(ConfigRefusedException.class).hasMessageContaining("api.token")
                .hasMessageNotContaining("abcdefghijklmnopqrstuvwxyz");
        assertThatThrownBy(() -> NodeConfig.parse("[limits]\nmax_callz = 1\n", "stored"))
                .hasMessageContaining("limits.max_callz").hasMessageContaining("unknown key in [limits]");
    }
}
