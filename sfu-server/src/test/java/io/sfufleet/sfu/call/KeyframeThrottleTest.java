package io.sfufleet.sfu.call;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeyframeThrottleTest {
    private static final long MS = 1_000_000;

    @Test
    void sendsAtMostOnePerIntervalAndDefersTheRest() {
        KeyframeThrottle t = new KeyframeThrottle(200 * MS);
        assertThat(t.request(1_000 * MS)).isZero();
        long wait = t.request(1_050 * MS);
        assertThat(wait).isEqualTo(150 * MS);
        assertThat(t.request(1_100 * MS)).as("already deferred").isEqualTo(-1);
        assertThat(t.fireDeferred(1_200 * MS)).isTrue();
        assertThat(t.fireDeferred(1_201 * MS)).as("fires once").isFalse();
        assertThat(t.request(1_300 * MS)).as("inside the interval of the deferred send").isEqualTo(100 * MS);
        assertThat(t.fireDeferred(1_400 * MS)).isTrue();
        assertThat(t.request(1_700 * MS)).isZero();
    }
}
