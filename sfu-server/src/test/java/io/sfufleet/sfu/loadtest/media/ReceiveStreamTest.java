package io.sfufleet.sfu.loadtest.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.sfu.rtp.PacketBuffer;
import io.sfufleet.sfu.rtp.Rtp;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sequence numbers, loss and delay as a receiver counts them, on packets a real sender makes. */
class ReceiveStreamTest {
    private final DelayHistogram delays = new DelayHistogram();
    private final ReceiveStream stream = new ReceiveStream(7, delays);

    private static byte[] packet(int seq) {
        byte[] b = new byte[12 + 80];
        b[0] = (byte) 0x80;
        b[1] = 111;
        Rtp.writeUint16(b, 2, seq);
        Rtp.writeUint32(b, 8, 7);
        return b;
    }

    private void receive(int seq, long sentNanos, long nowNanos) {
        byte[] b = packet(seq);
        SendTimestamp.write(b, b.length, sentNanos);
        stream.onPacket(b, 0, b.length, nowNanos);
    }

    @Test
    void lossAcrossTheSequenceWrapIsCounted() {
        receive(65_533, 0, 1_000);
        receive(65_534, 0, 1_000);
        // 65535 and 0 lost
        receive(1, 0, 1_000);
        receive(2, 0, 1_000);
        assertThat(stream.packets()).isEqualTo(4);
        assertThat(stream.expected()).isEqualTo(6);
        assertThat(stream.lost()).isEqualTo(2);
        assertThat(stream.extendedHighestSequence()).isEqualTo(65_536 + 2);
    }

    @Test
    void duplicatesAndLatePacketsAreToldApart() {
        receive(10, 0, 0);
        receive(12, 0, 0);
        receive(12, 0, 0); // duplicate of the highest
        receive(11, 0, 0); // late, fills the gap
        assertThat(stream.duplicates()).isEqualTo(1);
        assertThat(stream.reordered()).isEqualTo(1);
        assertThat(stream.packets()).isEqualTo(3);
        assertThat(stream.lost()).isZero();
    }

    @Test
    void theDelayComesFromTheSendTimestamp() {
        receive(1, 1_000_000, 1_000_000 + 750_000);
        receive(2, 2_000_000, 2_000_000 + 3_000_000);
        assertThat(stream.lastDelayMicros()).isEqualTo(3_000);
        assertThat(delays.count()).isEqualTo(2);
        assertThat(delays.quantile(0.5)).isBetween(740L, 750L);
        assertThat(delays.quantile(1.0)).isBetween(2_950L, 3_000L);
    }

    @Test
    void aSendersPacketsCarryItsTimestampAndAKeyframeFollowsARequest() {
        List<byte[]> out = new ArrayList<>();
        RtpStreamSender sender = new RtpStreamSender(MediaProfile.CAMERA, 99, 96, (PacketBuffer p) -> {
            out.add(java.util.Arrays.copyOfRange(p.getBuffer(), p.getOffset(), p.getOffset() + p.getLength()));
            return true;
        });
        long before = System.nanoTime();
        sender.sendFrame(); // the first frame is a keyframe
        int keyPackets = out.size();
        assertThat(keyPackets).isEqualTo((MediaProfile.CAMERA.keyframeBytes + MediaProfile.MAX_PAYLOAD - 1)
                / MediaProfile.MAX_PAYLOAD);
        out.clear();
        sender.sendFrame();
        assertThat(out).hasSize(2);
        byte[] last = out.get(1);
        assertThat(Rtp.marker(last, 0)).isTrue();
        assertThat(Rtp.marker(out.get(0), 0)).isFalse();
        assertThat(SendTimestamp.read(last, 12, last.length)).isBetween(before, System.nanoTime());
        assertThat(Rtp.sequence(last, 0)).isEqualTo((Rtp.sequence(out.get(0), 0) + 1) & 0xFFFF);
        sender.requestKeyframe();
        out.clear();
        sender.sendFrame();
        assertThat(out).hasSize(keyPackets);
        assertThat(sender.keyframesSent()).isEqualTo(2);
        assertThat(sender.packetsSent()).isEqualTo(2L * keyPackets + 2);
    }

    @Test
    void histogramBucketsAreWithinTwoPercent() {
        for (long v : new long[] {0, 1, 63, 64, 127, 128, 1_000, 123_456, 10_000_000}) {
            long low = DelayHistogram.lowerBound(DelayHistogram.index(v));
            assertThat(low).isLessThanOrEqualTo(v);
            assertThat((double) (v - low)).isLessThanOrEqualTo(Math.max(0, v * 0.016));
        }
    }
}
