package io.sfufleet.sfu.loadtest.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ServerDelayTest {
    private static final String BEFORE = """
            # HELP sfu_forwarding_delay_seconds Time from reading an RTP datagram ...
            # TYPE sfu_forwarding_delay_seconds histogram
            sfu_forwarding_delay_seconds_bucket{le="1.0E-5"} 10
            sfu_forwarding_delay_seconds_bucket{le="2.5E-5"} 50
            sfu_forwarding_delay_seconds_bucket{le="0.001"} 99
            sfu_forwarding_delay_seconds_bucket{le="+Inf"} 100
            sfu_forwarding_delay_seconds_count 100
            sfu_forwarding_delay_seconds_sum 0.01
            sfu_other_bucket{le="1.0E-5"} 7
            """;
    private static final String AFTER = """
            sfu_forwarding_delay_seconds_bucket{le="1.0E-5"} 110
            sfu_forwarding_delay_seconds_bucket{le="2.5E-5"} 1040
            sfu_forwarding_delay_seconds_bucket{le="0.001"} 1098
            sfu_forwarding_delay_seconds_bucket{le="+Inf"} 1100
            """;

    @Test
    void quantilesOfTheWindowAreTheBucketBoundsOfTheDifference() {
        ServerDelay window = ServerDelay.parse(AFTER, "sfu_forwarding_delay_seconds")
                .since(ServerDelay.parse(BEFORE, "sfu_forwarding_delay_seconds"));
        // 1000 observations: 100 <= 10 us, 890 more <= 25 us, 9 more <= 1 ms, 1 above
        assertThat(window.count()).isEqualTo(1000);
        assertThat(window.quantileMillis(0.05)).isCloseTo(0.01, within(1e-9));
        assertThat(window.quantileMillis(0.5)).isCloseTo(0.025, within(1e-9));
        assertThat(window.quantileMillis(0.99)).isCloseTo(0.025, within(1e-9));
        assertThat(window.quantileMillis(0.995)).isCloseTo(1.0, within(1e-9));
        assertThat(window.quantileMillis(1.0)).isInfinite();
        assertThat(ServerDelay.formatMillis(window.quantileMillis(0.5))).isEqualTo("<= 0.025");
        assertThat(ServerDelay.formatMillis(window.quantileMillis(1.0))).isEqualTo("> last bucket");
    }

    @Test
    void seriesWithOtherLabelsAddUpAndAMissingHistogramIsNull() {
        String text = """
                sfu_forwarding_delay_seconds_bucket{kind="audio",le="0.001"} 3
                sfu_forwarding_delay_seconds_bucket{kind="audio",le="+Inf"} 4
                sfu_forwarding_delay_seconds_bucket{kind="video",le="0.001"} 5
                sfu_forwarding_delay_seconds_bucket{kind="video",le="+Inf"} 5
                """;
        ServerDelay d = ServerDelay.parse(text, "sfu_forwarding_delay_seconds");
        assertThat(d.cumulative()).containsExactly(8, 9);
        assertThat(ServerDelay.parse("janus_x 1\n", "sfu_forwarding_delay_seconds")).isNull();
        assertThat(d.since(d).count()).isZero();
        assertThat(d.since(d).quantileMillis(0.5)).isNaN();
    }

    @Test
    void histogramsWithDifferentBucketsAreNotSubtracted() {
        ServerDelay a = ServerDelay.parse(BEFORE, "sfu_forwarding_delay_seconds");
        ServerDelay b = ServerDelay.parse("sfu_forwarding_delay_seconds_bucket{le=\"+Inf\"} 1\n", "sfu_forwarding_delay_seconds");
        assertThatThrownBy(() -> b.since(a)).hasMessageContaining("different buckets");
    }
}
