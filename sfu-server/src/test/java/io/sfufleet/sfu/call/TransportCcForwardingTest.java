package io.sfufleet.sfu.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.sfu.bwe.ArrivalRecorder;
import io.sfufleet.sfu.rtcp.TransportCc;
import io.sfufleet.sfu.rtp.PacketBuffer;
import io.sfufleet.sfu.rtp.PacketPool;
import io.sfufleet.sfu.rtcp.Nack;
import io.sfufleet.sfu.rtp.Rtp;
import io.sfufleet.sfu.rtp.Rtx;
import io.sfufleet.sfu.rtp.TransportSequence;
import io.sfufleet.sfu.srtp.SrtpResult;
import io.sfufleet.sfu.transport.DropReason;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Transport-wide CC through the real receive, forward and send path ({@link ForwardingFixture}):
 * feedback to the publisher on what arrived, the node's own sequence in what it forwards, and
 * the receiver's feedback turned into an estimate, malformed feedback counted and dropped.
 */
class TransportCcForwardingTest {
    /** Chrome's publish offer maps the transport-wide sequence to id 3 ({@code ChromeOffers}). */
    private static final int PUBLISHER_TWCC_ID = 3;

    /** The publisher's browser sends a video packet with transport-wide sequence {@code twSeq}. */
    private static void publishWithSequence(ForwardingFixture f, int rtpSeq, int twSeq) {
        publishWithSequence(f, ForwardingFixture.VIDEO_PT, ForwardingFixture.VIDEO_SSRC, rtpSeq, twSeq);
    }

    private static void publishWithSequence(ForwardingFixture f, int pt, int ssrc, int rtpSeq, int twSeq) {
        PacketBuffer p = new PacketBuffer(PacketPool.BUFFER_SIZE);
        ForwardingFixture.writeRtp(p, pt, rtpSeq, 1000L * rtpSeq, ssrc, 100);
        p.setLength(TransportSequence.stamp(p.getBuffer(), 0, p.getLength(), p.capacity(), PUBLISHER_TWCC_ID, twSeq));
        p.setReceivedAtNanos(System.nanoTime());
        assertThat(f.publisherClient().protectRtp(p)).isEqualTo(SrtpResult.OK);
        f.publisherTransport().onSrtp(p);
    }

    private static byte[] lastToReceiver(ForwardingFixture f) {
        PacketBuffer p = new PacketBuffer(PacketPool.BUFFER_SIZE);
        f.sink().lastTo(0, p);
        assertThat(f.receiverClient(0).unprotectRtp(p)).isEqualTo(SrtpResult.OK);
        return Arrays.copyOfRange(p.getBuffer(), p.getOffset(), p.getOffset() + p.getLength());
    }

    private static void receiverSendsRtcp(ForwardingFixture f, byte[] b, int len) {
        PacketBuffer p = new PacketBuffer(PacketPool.BUFFER_SIZE);
        p.set(b, 0, len);
        assertThat(f.receiverClient(0).protectRtcp(p)).isEqualTo(SrtpResult.OK);
        f.receiverTransport(0).onSrtp(p);
    }

    @Test
    void thePublisherGetsFeedbackOnWhatArrived() {
        try (ForwardingFixture f = ForwardingFixture.builder().twcc().build()) {
            assertThat(f.publisher().publishTwccId).isEqualTo(PUBLISHER_TWCC_ID);
            f.sink().capture(true);
            publishWithSequence(f, 10, 500);
            publishWithSequence(f, 11, 501);
            publishWithSequence(f, 13, 503); // 502 lost on the way
            f.manager().sendTransportFeedback();
            PacketBuffer fb = f.sink().lastToPublisher();
            assertThat(f.publisherClient().unprotectRtcp(fb)).isEqualTo(SrtpResult.OK);
            TransportCc.Feedback parsed = new TransportCc.Feedback(64);
            assertThat(TransportCc.parse(fb.getBuffer(), fb.getOffset(), fb.getLength(), parsed)).isTrue();
            assertThat(parsed.baseSequence).isEqualTo(500);
            assertThat(parsed.count).isEqualTo(4);
            assertThat(parsed.received(0)).isTrue();
            assertThat(parsed.received(1)).isTrue();
            assertThat(parsed.received(2)).isFalse();
            assertThat(parsed.received(3)).isTrue();
            assertThat(parsed.mediaSsrc).isIn(ForwardingFixture.AUDIO_SSRC, ForwardingFixture.VIDEO_SSRC);
            long toPublisher = f.sink().toPublisher();
            f.manager().sendTransportFeedback();
            assertThat(f.sink().toPublisher()).as("nothing new, no feedback").isEqualTo(toPublisher);
        }
    }

    @Test
    void audioNobodyReceivesIsNotDecryptedButStillReportedAsArrived() {
        try (ForwardingFixture f = ForwardingFixture.builder().twcc().build()) {
            Track audio = f.publisher().publishedTrackBySsrc(ForwardingFixture.AUDIO_SSRC);
            for (Subscription s : audio.receivers) {
                s.selected = false; // top-N chose other speakers
            }
            f.sink().capture(true);
            for (int i = 0; i < 5; i++) {
                publishWithSequence(f, ForwardingFixture.AUDIO_PT, ForwardingFixture.AUDIO_SSRC, 40 + i, 900 + i);
            }
            assertThat(audio.packetsNotDecrypted()).as("top-N skipped decryption").isPositive();
            f.manager().sendTransportFeedback();
            PacketBuffer fb = f.sink().lastToPublisher();
            assertThat(f.publisherClient().unprotectRtcp(fb)).isEqualTo(SrtpResult.OK);
            TransportCc.Feedback parsed = new TransportCc.Feedback(64);
            assertThat(TransportCc.parse(fb.getBuffer(), fb.getOffset(), fb.getLength(), parsed)).isTrue();
            assertThat(parsed.baseSequence).isEqualTo(900);
            assertThat(parsed.count).isEqualTo(5);
            for (int i = 0; i < 5; i++) {
                assertThat(parsed.received(i)).as("packet %d", i).isTrue();
            }
        }
    }

    @Test
    void withoutTheExtensionInTheAnswerForwardedPacketsAreUnchanged() {
        try (ForwardingFixture f = ForwardingFixture.builder().build()) {
            assertThat(f.receiver(0).subscribeTwccId).isEqualTo(-1);
            f.sink().capture(true);
            ForwardingFixture.ClientStream video = f.videoStream(300);
            video.sendNext();
            assertThat(lastToReceiver(f)).isEqualTo(video.lastPlain());
        }
    }

    @Test
    void forwardedPacketsCarryTheReceiversOwnSequenceAndItsFeedbackSetsTheEstimate() {
        try (ForwardingFixture f = ForwardingFixture.builder().twcc().build()) {
            Participant receiver = f.receiver(0);
            assertThat(receiver.subscribeTwccId).isEqualTo(Participant.SUBSCRIBE_TWCC_ID);
            assertThat(receiver.downlinkEstimateBps()).as("no feedback yet").isEqualTo(-1);
            f.sink().capture(true);
            ForwardingFixture.ClientStream video = f.videoStream(300);
            ArrivalRecorder browser = new ArrivalRecorder();
            for (int i = 0; i < 40; i++) {
                video.sendNext();
                byte[] got = lastToReceiver(f);
                int seq = TransportSequence.read(got, 0, got.length, Participant.SUBSCRIBE_TWCC_ID);
                assertThat(seq).as("packet %d", i).isEqualTo(i);
                byte[] plain = video.lastPlain();
                // same header fields and payload; only the extension block is the node's
                assertThat(Rtp.sequence(got, 0)).isEqualTo(Rtp.sequence(plain, 0));
                assertThat(Rtp.ssrc(got, 0)).isEqualTo(Rtp.ssrc(plain, 0));
                int header = Rtp.headerLength(got, 0, got.length);
                assertThat(Arrays.copyOfRange(got, header, got.length))
                        .isEqualTo(Arrays.copyOfRange(plain, Rtp.FIXED_HEADER, plain.length));
                browser.onPacket(seq, 1_000_000L + 2_000L * i);
            }
            byte[] fb = new byte[1024];
            int len = browser.writeFeedback(fb, 0, 0x0BADCAFE, ForwardingFixture.VIDEO_SSRC);
            receiverSendsRtcp(f, fb, len);
            assertThat(receiver.downlink.feedbackPackets()).isEqualTo(1);
            assertThat(receiver.downlinkEstimateBps()).isPositive();

            long malformed = f.drops().count(DropReason.RTCP_MALFORMED);
            byte[] bad = Arrays.copyOf(fb, len);
            bad[20] = 0x60; // first chunk: a run of the reserved symbol
            bad[21] = 0x01;
            receiverSendsRtcp(f, bad, len);
            assertThat(f.drops().count(DropReason.RTCP_MALFORMED)).isEqualTo(malformed + 1);
            assertThat(receiver.downlink.malformedFeedback()).isEqualTo(1);
            video.sendNext(); // the media loop goes on
            byte[] next = lastToReceiver(f);
            assertThat(TransportSequence.read(next, 0, next.length, Participant.SUBSCRIBE_TWCC_ID)).isEqualTo(40);
        }
    }

    @Test
    void retransmissionsAreNumberedTooAndStayRtx() {
        try (ForwardingFixture f = ForwardingFixture.builder().rtx().twcc().build()) {
            Participant receiver = f.receiver(0);
            Subscription video = receiver.subscriptionBySsrc(ForwardingFixture.VIDEO_SSRC);
            assertThat(video.rtxNegotiated()).isTrue();
            f.sink().capture(true);
            ForwardingFixture.ClientStream stream = f.videoStream(300);
            stream.sendNext();
            int lostSeq = stream.sequence();
            stream.sendNext();
            byte[] nack = new byte[64];
            int len = Nack.write(nack, 0, 0x0BADCAFE, ForwardingFixture.VIDEO_SSRC, new int[] {lostSeq}, 1);
            receiverSendsRtcp(f, nack, len);
            byte[] resend = lastToReceiver(f);
            assertThat(Rtp.ssrc(resend, 0)).isEqualTo(f.publisher().publishedTrackBySsrc(ForwardingFixture.VIDEO_SSRC).rtxSsrc);
            assertThat(Rtx.originalSequence(resend, 0, resend.length)).isEqualTo(lostSeq);
            assertThat(TransportSequence.read(resend, 0, resend.length, Participant.SUBSCRIBE_TWCC_ID)).isEqualTo(2);
        }
    }
}
