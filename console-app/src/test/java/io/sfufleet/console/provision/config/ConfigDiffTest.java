package io.sfufleet.console.provision.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.console.provision.NodeSpec;
import io.sfufleet.console.provision.config.ConfigDiff.Change;
import io.sfufleet.console.provision.config.ConfigDiff.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigDiffTest {
    private static final NodeConfig BASE = NodeConfig.of(new NodeSpec("edge-a", "10.0.0.5", 9443, 9080, 9045,
            "10.0.0.5", "10.0.0.5"));

    @Test
    void theSameFileIsNoChange() {
        ConfigDiff d = ConfigDiff.between(BASE.toml(), BASE.toml());
        assertThat(d.isEmpty()).isTrue();
        assertThat(d.lines()).containsExactly("no changes");
    }

    @Test
    void aHotChangeNeedsNoRestartAndARestartKeyDoes() {
        ConfigDiff hot = ConfigDiff.between(BASE.toml(), BASE.with(List.of("limits.max_calls=7")).toml());
        assertThat(hot.changes()).containsExactly(new Change("limits.max_calls", Kind.CHANGED, "1000", "7", true, false));
        assertThat(hot.needsRestart()).isFalse();
        assertThat(hot.effectiveKeys()).containsExactly("limits.max_calls");

        ConfigDiff both = ConfigDiff.between(BASE.toml(), BASE.with(List.of("limits.max_calls=7", "media.udp_port=9555"))
                .toml());
        assertThat(both.needsRestart()).isTrue();
        assertThat(both.lines()).containsExactly("media.udp_port: 9443 -> 9555  [needs a restart]",
                "limits.max_calls: 1000 -> 7");
    }

    @Test
    void addedRemovedAndUnknownKeysOfAHandEditedFile() {
        String host = """
                [node]
                name = "edge-a"
                [limits]
                max_calls = 1000
                max_video_streams = 3
                [media]
                udp_port = "9443"
                [extra]
                password = "hunter2"
                """;
        String desired = """
                [node]
                name = "edge-a"
                [limits]
                max_calls = 1000
                max_audio_streams = 5
                [media]
                udp_port = 9443
                """;
        ConfigDiff d = ConfigDiff.between(host, desired);
        assertThat(d.changes()).containsExactly(
                // a string where the server wants an integer: a change (and the node would refuse the host's)
                new Change("media.udp_port", Kind.CHANGED, "\"9443\"", "9443", true, true),
                // the default written out explicitly: added, but the node's value does not change
                new Change("limits.max_audio_streams", Kind.ADDED, null, "5", false, false),
                new Change("limits.max_video_streams", Kind.REMOVED, "3", null, true, false),
                new Change("extra.password", Kind.UNKNOWN_ON_HOST, "<not shown>", null, false, false));
        assertThat(d.toString()).doesNotContain("hunter2")
                .contains("limits.max_video_streams: 3 -> (not set, default 9)")
                .contains("limits.max_audio_streams: (not set, default 5) -> 5");
        assertThat(d.effectiveKeys()).containsExactly("media.udp_port", "limits.max_video_streams");
    }

    @Test
    void aMissingHostFileMeansEveryKeyIsAddedAndAnUnparsableOneNeedsARestart() {
        ConfigDiff missing = ConfigDiff.between("", BASE.toml());
        assertThat(missing.changes()).allMatch(c -> c.kind() == Kind.ADDED);
        assertThat(missing.needsRestart()).isTrue(); // the ports differ from the defaults

        ConfigDiff broken = ConfigDiff.between("[limits\nmax_calls = ", BASE.toml());
        assertThat(broken.hostUnreadable()).startsWith("not valid TOML");
        assertThat(broken.needsRestart()).isTrue();
        assertThat(broken.lines().getFirst()).contains("will be replaced as a whole (restart)");
    }

    @Test
    void secretsOnTheHostAreMaskedInTheDiff() {
        ConfigDiff d = ConfigDiff.between("[api]\ntoken = \"abcdefghijklmnop-secret\"\n", "");
        assertThat(d.changes()).containsExactly(new Change("api.token", Kind.REMOVED, "\"<masked>\"", null, true, false));
        assertThat(d.toString()).doesNotContain("abcdefghijklmnop-secret");
    }
}
