package io.sfufleet.sfu.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.sfu.rtcp.Nack;
import io.sfufleet.sfu.rtp.PacketBuffer;
import io.sfufleet.sfu.rtp.PacketPool;
import io.sfufleet.sfu.rtp.Rtp;
import io.sfufleet.sfu.srtp.SrtpResult;
import io.sfufleet.sfu.transport.DropReason;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * End-to-end encrypted media through the real receive, forward and send path
 * ({@link ForwardingFixture}): payloads of random bytes (as AES-GCM ciphertext looks) are forwarded
 * and resent unchanged whatever their first bytes would mean to a VP8 parser, and the layer of a
 * frame comes from its dependency descriptor in the RTP header.
 */
class PayloadBlindForwardingTest {
    private static final int DD_ID = 5;
    /** {@code DependencyDescriptorTest.L1T1_KEY}: an L1T1 structure, template 0, frame 1. */
    private static final byte[] DD_KEY = HexFormat.of().parseHex("C0000180003A4101813F80EF80");
    /** Template 1 of it, frame 2. */
    private static final byte[] DD_DELTA = HexFormat.of().parseHex("C10002");
    /** Template 5, which the structure does not have. */
    private static final byte[] DD_UNKNOWN = HexFormat.of().parseHex("C50003");

    private final SplittableRandom random = new SplittableRandom(8);
    private int seq = 100;

    /**
     * A VP8-typed packet with the descriptor in a one-byte header extension and {@code payload}
     * after it, protected as the publisher's browser would and handed to the node; returns its plain bytes.
     */
    private byte[] send(ForwardingFixture f, byte[] descriptor, byte[] payload) {
        int words = (1 + descriptor.length + 3) / 4;
        byte[] plain = new byte[Rtp.FIXED_HEADER + 4 + 4 * words + payload.length];
        plain[0] = (byte) 0x90; // V=2, X=1
        plain[1] = (byte) ForwardingFixture.VIDEO_PT;
        Rtp.writeUint16(plain, 2, seq++);
        Rtp.writeUint32(plain, 4, 90_000L * seq);
        Rtp.writeUint32(plain, 8, ForwardingFixture.VIDEO_SSRC);
        Rtp.writeUint16(plain, 12, 0xBEDE);
        Rtp.writeUint16(plain, 14, words);
        plain[16] = (byte) (DD_ID << 4 | (descriptor.length - 1));
        System.arraycopy(descriptor, 0, plain, 17, descriptor.length);
        System.arraycopy(payload, 0, plain, Rtp.FIXED_HEADER + 4 + 4 * words, payload.length);
        PacketBuffer p = new PacketBuffer(PacketPool.BUFFER_SIZE);
        p.set(plain, 0, plain.length);
        assertThat(f.publisherClient().protectRtp(p)).isEqualTo(SrtpResult.OK);
        p.setReceivedAtNanos(System.nanoTime());
        f.publisherTransport().onSrtp(p);
        return plain;
    }

    private static byte[] lastToReceiver(ForwardingFixture f) {
        PacketBuffer p = new PacketBuffer(PacketPool.BUFFER_SIZE);
        f.sink().lastTo(0, p);
        assertThat(f.receiverClient(0).unprotectRtp(p)).isEqualTo(SrtpResult.OK);
        return Arrays.copyOfRange(p.getBuffer(), p.getOffset(), p.getOffset() + p.getLength());
    }

    private byte[] ciphertext(int n, boolean looksLikeVp8Keyframe) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        // VP8 payload descriptor S=1, PID 0, then a frame tag with P=0 (keyframe) and its start code:
        // a payload-reading SFU would take this packet for the start of a keyframe
        if (looksLikeVp8Keyframe) {
            b[0] = 0x10;
            b[1] = 0x00;
            b[4] = (byte) 0x9D;
            b[5] = 0x01;
            b[6] = 0x2A;
        } else {
            b[1] |= 0x01; // P=1: a delta frame to such an SFU
        }
        return b;
    }

    @Test
    void randomPayloadsAreForwardedAndResentUnchangedAndLayersComeFromTheHeader() {
        try (ForwardingFixture f = ForwardingFixture.builder().build()) {
            Track video = f.publisher().publishedTrackBySsrc(ForwardingFixture.VIDEO_SSRC);
            video.dependencyDescriptorId = DD_ID; // as if the offer had a=extmap:5 for it
            f.sink().capture(true);
            f.sink().reset();
            assertThat(video.spatialId()).isEqualTo(-1);
            long keyframeRequests = video.keyframeRequests(); // the receiver's connecting asked for one

            byte[] first = send(f, DD_KEY, ciphertext(300, false));
            assertThat(f.sink().toReceiver(0)).isEqualTo(1);
            assertThat(lastToReceiver(f)).isEqualTo(first);
            assertThat(video.spatialId()).isZero();
            assertThat(video.temporalId()).isZero();
            assertThat(video.dependencies.startOfFrame()).isTrue();

            byte[] second = send(f, DD_DELTA, ciphertext(300, true));
            assertThat(lastToReceiver(f)).isEqualTo(second);
            assertThat(video.dependencies.frameNumber()).isEqualTo(2);
            assertThat(video.dependencyDescriptors()).isEqualTo(2);
            assertThat(video.keyframeRequests()).as("no keyframe logic ran on payload bytes")
                    .isEqualTo(keyframeRequests);

            // a descriptor that names no template of the structure: counted and dropped
            long malformedBefore = f.drops().count(DropReason.DEPENDENCY_DESCRIPTOR_MALFORMED);
            send(f, DD_UNKNOWN, ciphertext(300, false));
            assertThat(f.drops().count(DropReason.DEPENDENCY_DESCRIPTOR_MALFORMED)).isEqualTo(malformedBefore + 1);
            assertThat(f.sink().toReceiver(0)).isEqualTo(2);
            assertThat(video.spatialId()).isEqualTo(-1);

            // and the stream goes on with the structure it had
            byte[] fourth = send(f, DD_DELTA, ciphertext(120, false));
            assertThat(lastToReceiver(f)).isEqualTo(fourth);
            assertThat(video.spatialId()).isZero();

            // a NACK is answered with the stored packet, byte for byte (one the receiver has not
            // decrypted yet: its SRTP replay check would refuse the second copy)
            byte[] unread = send(f, DD_DELTA, ciphertext(200, true));
            PacketBuffer nack = new PacketBuffer(PacketPool.BUFFER_SIZE);
            nack.setOffset(0);
            nack.setLength(Nack.write(nack.getBuffer(), 0, 0x0BADCAFE, ForwardingFixture.VIDEO_SSRC,
                    new int[] {Rtp.sequence(unread, 0)}, 1));
            assertThat(f.receiverClient(0).protectRtcp(nack)).isEqualTo(SrtpResult.OK);
            f.receiverTransport(0).onSrtp(nack);
            assertThat(f.sink().toReceiver(0)).isEqualTo(5);
            assertThat(lastToReceiver(f)).isEqualTo(unread);
        }
    }
}
