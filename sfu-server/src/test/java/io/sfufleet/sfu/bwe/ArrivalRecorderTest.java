package io.sfufleet.sfu.bwe;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.sfu.rtcp.TransportCc;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Publish-side feedback: what arrived is reported once, in order, across the 16-bit wrap. */
class ArrivalRecorderTest {
    @Test
    void reportsArrivalsAndLossesOnceAcrossTheWrap() {
        ArrivalRecorder r = new ArrivalRecorder();
        byte[] b = new byte[8192];
        assertThat(r.writeFeedback(b, 0, 1, 2)).isZero();
        r.onPacket(65534, 1_000_000);
        r.onPacket(65535, 1_001_000);
        r.onPacket(1, 1_003_000); // 0 lost
        int len = r.writeFeedback(b, 0, 1, 2);
        TransportCc.Feedback f = new TransportCc.Feedback(64);
        assertThat(TransportCc.parse(b, 0, len, f)).isTrue();
        assertThat(f.baseSequence).isEqualTo(65534);
        assertThat(f.feedbackCount).isZero();
        assertThat(Arrays.copyOf(f.arrivalMicros, f.count))
                .containsExactly(1_000_000, 1_001_000, TransportCc.NOT_RECEIVED, 1_003_000);
        assertThat(r.writeFeedback(b, 0, 1, 2)).isZero();
        r.onPacket(0, 1_004_000); // too late: already reported lost
        r.onPacket(2, 1_005_000);
        len = r.writeFeedback(b, 0, 1, 2);
        assertThat(TransportCc.parse(b, 0, len, f)).isTrue();
        assertThat(f.baseSequence).isEqualTo(2);
        assertThat(f.feedbackCount).isEqualTo(1);
        assertThat(Arrays.copyOf(f.arrivalMicros, f.count)).containsExactly(1_005_000);
    }

    @Test
    void aLongGapKeepsTheNewestWindow() {
        ArrivalRecorder r = new ArrivalRecorder();
        r.onPacket(0, 0);
        r.onPacket(5000, 1000);
        byte[] b = new byte[8192];
        int len = r.writeFeedback(b, 0, 1, 2);
        TransportCc.Feedback f = new TransportCc.Feedback(ArrivalRecorder.WINDOW);
        assertThat(TransportCc.parse(b, 0, len, f)).isTrue();
        assertThat(f.baseSequence).isEqualTo(5000); // leading losses skipped
        assertThat(f.count).isEqualTo(1);
    }

    @Test
    void aDeltaBeyondEightSecondsSplitsTheFeedback() {
        ArrivalRecorder r = new ArrivalRecorder();
        r.onPacket(10, 0);
        r.onPacket(11, 20_000_000);
        byte[] b = new byte[8192];
        TransportCc.Feedback f = new TransportCc.Feedback(64);
        assertThat(TransportCc.parse(b, 0, r.writeFeedback(b, 0, 1, 2), f)).isTrue();
        assertThat(f.count).isEqualTo(1);
        assertThat(TransportCc.parse(b, 0, r.writeFeedback(b, 0, 1, 2), f)).isTrue();
        assertThat(f.baseSequence).isEqualTo(11);
        assertThat(f.arrivalMicros[0]).isEqualTo(20_000_000);
        assertThat(r.unwritable()).isZero();
    }
}
