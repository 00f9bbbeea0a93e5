package io.sfufleet.sfu.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.model.signal.SubscribeOffer;
import io.sfufleet.sfu.rtcp.Nack;
import io.sfufleet.sfu.rtcp.Rtcp;
import io.sfufleet.sfu.rtp.PacketBuffer;
import io.sfufleet.sfu.rtp.PacketPool;
import io.sfufleet.sfu.rtp.Rtp;
import io.sfufleet.sfu.rtp.Rtx;
import io.sfufleet.sfu.sdp.MediaSection;
import io.sfufleet.sfu.sdp.SessionDescription;
import io.sfufleet.sfu.srtp.SrtpResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Receivers' NACKs answered from the node's cache through the real receive, forward and send path
 * ({@link ForwardingFixture}): in RFC 4588 form where the receiver's answer kept RTX, as the
 * original otherwise, and what the cache lacks asked of the publisher.
 */
class NackRetransmissionTest {
    private static final int PAYLOAD = 200;

    /** Sends {@code n} video packets and returns their plain bytes by send order. */
    private static List<byte[]> sendVideo(ForwardingFixture f, ForwardingFixture.ClientStream video, int n) {
        List<byte[]> plain = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            video.sendNext();
            plain.add(video.lastPlain());
        }
        return plain;
    }

    /** The receiver sends a generic NACK for {@code seqs} about the publisher's video. */
    private static void receiverNacks(ForwardingFixture f, int... seqs) {
        PacketBuffer p = new PacketBuffer(PacketPool.BUFFER_SIZE);
        p.setOffset(0);
        p.setLength(Nack.write(p.getBuffer(), 0, 0x0BADCAFE, ForwardingFixture.VIDEO_SSRC, seqs, seqs.length));
        assertThat(f.receiverClient(0).protectRtcp(p)).isEqualTo(SrtpResult.OK);
        f.receiverTransport(0).onSrtp(p);
    }

    /** The last packet the node sent receiver 0, decrypted with the receiver's keys. */
    private static byte[] lastToReceiver(ForwardingFixture f) {
        PacketBuffer p = new PacketBuffer(PacketPool.BUFFER_SIZE);
        f.sink().lastTo(0, p);
        assertThat(f.receiverClient(0).unprotectRtp(p)).isEqualTo(SrtpResult.OK);
        return Arrays.copyOfRange(p.getBuffer(), p.getOffset(), p.getOffset() + p.getLength());
    }

    @Test
    void theSubscribeOfferCarriesRtxForVideoOnly() throws Exception {
        try (ForwardingFixture f = ForwardingFixture.builder().rtx().build()) {
            Participant late = f.join("late", new ForwardingFixture.RecordingPeer("late"));
            late.receivesRtx = true; // its publish offer offered rtx, as Chrome's does
            f.loop().runPending();
            SubscribeOffer offer = ((ForwardingFixture.RecordingPeer) late.peer).expectLast(SubscribeOffer.class);
            SessionDescription sdp = SessionDescription.parse(offer.sdp());
            Track video = f.publisher().publishedTrackBySsrc(ForwardingFixture.VIDEO_SSRC);
            for (MediaSection m : sdp.media()) {
                if (m.kind().equals("video")) {
                    assertThat(m.formats()).containsExactly(ForwardingFixture.VIDEO_PT, video.rtxPayloadType);
                    assertThat(m.rtpmaps()).containsEntry(video.rtxPayloadType, "rtx/90000");
                    assertThat(m.forPayloadType("fmtp", video.rtxPayloadType)).containsExactly("apt=96");
                    assertThat(m.attribute("ssrc-group")).isEqualTo("FID " + ForwardingFixture.VIDEO_SSRC + " "
                            + Integer.toUnsignedLong(video.rtxSsrc));
                    assertThat(m.forPayloadType("rtcp-fb", ForwardingFixture.VIDEO_PT)).contains("nack", "nack pli");
                } else {
                    assertThat(m.formats()).as("Opus and RED over Opus, no RTX").containsExactly(ForwardingFixture.AUDIO_PT, 63);
                    assertThat(m.attribute("ssrc-group")).isNull();
                }
            }
        }
    }

    @Test
    void aClientThatOfferedNoRtxIsOfferedNone() throws Exception {
        try (ForwardingFixture f = ForwardingFixture.builder().build()) {
            Participant late = f.join("late", new ForwardingFixture.RecordingPeer("late"));
            f.loop().runPending();
            SubscribeOffer offer = ((ForwardingFixture.RecordingPeer) late.peer).expectLast(SubscribeOffer.class);
            MediaSection video = SessionDescription.parse(offer.sdp()).media().get(1);
            assertThat(video.formats()).containsExactly(ForwardingFixture.VIDEO_PT);
            assertThat(video.ssrcs()).containsExactly((long) ForwardingFixture.VIDEO_SSRC);
            assertThat(video.attribute("ssrc-group")).isNull();
        }
    }

    @Test
    void aNackIsAnsweredWithRtxFromTheCacheAndTheRestAskedOfThePublisher() {
        try (ForwardingFixture f = ForwardingFixture.builder().rtx().build()) {
            Subscription s = f.receiver(0).subscriptionBySsrc(ForwardingFixture.VIDEO_SSRC);
            Track video = s.track;
            assertThat(s.rtxNegotiated()).isTrue();
            ForwardingFixture.ClientStream stream = f.videoStream(PAYLOAD);
            List<byte[]> sent = sendVideo(f, stream, 10);
            f.sink().capture(true);
            f.sink().reset();

            byte[] third = sent.get(2);
            int thirdSeq = Rtp.sequence(third, 0);
            receiverNacks(f, thirdSeq);
            assertThat(f.sink().toReceiver(0)).isEqualTo(1);
            byte[] rtx = lastToReceiver(f);
            assertThat(Rtp.ssrc(rtx, 0)).isEqualTo(video.rtxSsrc);
            assertThat(Rtp.payloadType(rtx, 0)).isEqualTo(video.rtxPayloadType);
            assertThat(Rtx.originalSequence(rtx, 0, rtx.length)).isEqualTo(thirdSeq);
            assertThat(Rtp.timestamp(rtx, 0)).isEqualTo(Rtp.timestamp(third, 0));
            assertThat(Arrays.copyOfRange(rtx, Rtp.FIXED_HEADER + 2, rtx.length))
                    .as("original payload after the OSN").isEqualTo(Arrays.copyOfRange(third, Rtp.FIXED_HEADER, third.length));
            int firstRtxSeq = Rtp.sequence(rtx, 0);

            // Two in one NACK: the fifth (from the cache) and one the node never had (asked of the publisher).
            byte[] fifth = sent.get(4);
            int neverSent = (Rtp.sequence(sent.get(0), 0) - 100) & 0xFFFF;
            receiverNacks(f, Rtp.sequence(fifth, 0), neverSent);
            assertThat(f.sink().toReceiver(0)).isEqualTo(2);
            byte[] rtx2 = lastToReceiver(f);
            assertThat(Rtx.originalSequence(rtx2, 0, rtx2.length)).isEqualTo(Rtp.sequence(fifth, 0));
            assertThat(Rtp.sequence(rtx2, 0)).as("RTX numbering is its own and consecutive").isEqualTo((firstRtxSeq + 1) & 0xFFFF);

            assertThat(f.sink().toPublisher()).isEqualTo(1);
            PacketBuffer toPublisher = f.sink().lastToPublisher();
            assertThat(f.publisherClient().unprotectRtcp(toPublisher)).isEqualTo(SrtpResult.OK);
            byte[] nack = Arrays.copyOfRange(toPublisher.getBuffer(), toPublisher.getOffset(),
                    toPublisher.getOffset() + toPublisher.getLength());
            assertThat(Rtcp.packetType(nack, 0)).isEqualTo(Rtcp.RTPFB);
            assertThat(Rtcp.mediaSsrc(nack, 0)).isEqualTo(ForwardingFixture.VIDEO_SSRC);
            assertThat(Rtcp.senderSsrc(nack, 0)).isEqualTo(f.publisherTransport().localSsrc());
            int[] lost = new int[8];
            int n = Nack.lostSequences(nack, 0, Rtcp.packetLength(nack, 0), lost);
            assertThat(Arrays.copyOf(lost, n)).containsExactly(neverSent);

            assertThat(s.retransmissions()).isEqualTo(2);
            assertThat(video.retransmissions()).isEqualTo(2);
            assertThat(s.nackCount()).isEqualTo(2);
        }
    }

    @Test
    void withoutRtxInTheAnswerTheOriginalPacketIsResent() {
        try (ForwardingFixture f = ForwardingFixture.builder().build()) {
            Subscription s = f.receiver(0).subscriptionBySsrc(ForwardingFixture.VIDEO_SSRC);
            assertThat(s.rtxNegotiated()).isFalse();
            List<byte[]> sent = sendVideo(f, f.videoStream(PAYLOAD), 5);
            f.sink().capture(true);
            f.sink().reset();
            receiverNacks(f, Rtp.sequence(sent.get(1), 0));
            assertThat(f.sink().toReceiver(0)).isEqualTo(1);
            assertThat(lastToReceiver(f)).isEqualTo(sent.get(1));
            assertThat(f.sink().toPublisher()).isZero();
        }
    }

    @Test
    void theForwardLossHookDropsOnlyWhatItSaysAndResendsStillGetThrough() {
        int[] asked = new int[1];
        ForwardLoss dropAllVideoToReceiver1 = (track, receiver) -> {
            asked[0]++;
            return track.kind == io.sfufleet.model.signal.TrackKind.video && receiver.name.equals("receiver-1");
        };
        try (ForwardingFixture f = ForwardingFixture.builder().receivers(2).forwardLoss(dropAllVideoToReceiver1).build()) {
            f.sink().reset();
            asked[0] = 0;
            List<byte[]> sent = sendVideo(f, f.videoStream(PAYLOAD), 4);
            f.audioStream(50).sendNext();
            assertThat(asked[0]).as("asked once per packet and receiver").isEqualTo(10);
            assertThat(f.sink().toReceiver(0)).isEqualTo(5);
            assertThat(f.sink().toReceiver(1)).as("audio only").isEqualTo(1);
            // receiver 1 NACKs what it lost; the resend is not subject to the hook
            PacketBuffer p = new PacketBuffer(PacketPool.BUFFER_SIZE);
            p.setOffset(0);
            p.setLength(Nack.write(p.getBuffer(), 0, 7, ForwardingFixture.VIDEO_SSRC,
                    new int[] {Rtp.sequence(sent.get(3), 0)}, 1));
            assertThat(f.receiverClient(1).protectRtcp(p)).isEqualTo(SrtpResult.OK);
            f.receiverTransport(1).onSrtp(p);
            assertThat(f.sink().toReceiver(1)).isEqualTo(2);
        }
    }
}
