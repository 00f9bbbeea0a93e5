package io.sfufleet.sfu.call;

import static io.sfufleet.sfu.ice.StunTestMessages.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.model.signal.PublishAnswer;
import io.sfufleet.model.signal.PublishOffer;
import io.sfufleet.model.signal.SubscribeAnswer;
import io.sfufleet.model.signal.SubscribeOffer;
import io.sfufleet.model.signal.TrackKind;
import io.sfufleet.sfu.bwe.ArrivalRecorder;
import io.sfufleet.sfu.rtcp.Nack;
import io.sfufleet.sfu.rtp.PacketBuffer;
import io.sfufleet.sfu.rtp.PacketPool;
import io.sfufleet.sfu.rtp.Rtp;
import io.sfufleet.sfu.rtp.Rtx;
import io.sfufleet.sfu.rtp.TransportSequence;
import io.sfufleet.sfu.sdp.ChromeOffers;
import io.sfufleet.sfu.srtp.SrtpProfile;
import io.sfufleet.sfu.srtp.SrtpResult;
import io.sfufleet.sfu.srtp.SrtpSession;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Simulcast through the real receive, forward and send path: a publisher offering three rids, the
 * node learning their SSRCs from the rid extension, each receiver getting one layer on one SSRC
 * with continuous numbering, switching at keyframes, chosen by its estimate or its tile, and
 * NACKs answered from the right layer as RTX.
 */
class SimulcastForwardingTest {
    private static final int[] LAYER_SSRCS = {3001, 3002, 3003};
    private static final String[] RIDS = {"q", "h", "f"};
    private static final int[] HEIGHTS = {180, 360, 720};

    /** Chrome's offer with the camera as three rids instead of a=ssrc lines; its audio on SSRC 1101. */
    static final String SIMULCAST_OFFER = ChromeOffers.PUBLISH_AUDIO_VIDEO
            .replace("a=ssrc:1001", "a=ssrc:1101")
            .replace("a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid\r\na=sendonly\r\na=msid:stream1 video1",
                    "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid\r\n"
                    + "a=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id\r\n"
                    + "a=extmap:11 urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id\r\n"
                    + "a=sendonly\r\na=msid:stream1 video1")
            .replace("a=ssrc-group:FID 2001 2002\r\na=ssrc:2001 cname:abcd\r\na=ssrc:2001 msid:stream1 video1\r\n"
                    + "a=ssrc:2002 cname:abcd\r\na=ssrc:2002 msid:stream1 video1\r\n",
                    "a=rid:q send\r\na=rid:h send\r\na=rid:f send\r\na=simulcast:send q;h;f\r\n");

    private final int[] seq = {100, 200, 300};
    private SrtpSession client;
    private Participant sim;

    /** One VP8 packet of a layer as Chrome sends it: mid "1" and the layer's rid in the header. */
    private void send(int layer, boolean keyframe) {
        seq[layer]++;
        String payload = keyframe
                ? "10" + "b00400" + "9d012a" + "4001" + String.format("%02x%02x", HEIGHTS[layer] & 0xFF, HEIGHTS[layer] >> 8)
                : "10" + "b10400" + "00000000";
        byte[] plain = hex("90" + "60" + String.format("%04x", seq[layer]) + String.format("%08x", seq[layer] * 3000)
                + String.format("%08x", LAYER_SSRCS[layer])
                + "bede" + "0001" + "40" + "31" + "a0" + String.format("%02x", (int) RIDS[layer].charAt(0))
                + payload + "00".repeat(100));
        PacketBuffer p = new PacketBuffer(PacketPool.BUFFER_SIZE).set(plain, 0, plain.length);
        p.setReceivedAtNanos(System.nanoTime());
        assertThat(client.protectRtp(p)).isEqualTo(SrtpResult.OK);
        sim.publishTransport().onSrtp(p);
    }

    private void publishSimulcast(ForwardingFixture f) throws Exception {
        ForwardingFixture.RecordingPeer peer = new ForwardingFixture.RecordingPeer("sim");
        sim = f.join("sim", peer);
        sim.onPublishOffer(new PublishOffer(SIMULCAST_OFFER, ForwardingFixture.CHROME_TRACKS));
        String answer = peer.expectLast(PublishAnswer.class).sdp();
        assertThat(answer).contains("a=rid:q recv\r\n", "a=rid:h recv\r\n", "a=rid:f recv\r\n",
                "a=simulcast:recv q;h;f\r\n", "a=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id\r\n");
        Random random = new Random(7);
        var keys = ForwardingFixture.randomKeys(SrtpProfile.AEAD_AES_128_GCM, random);
        client = new SrtpSession(keys, false);
        sim.publishTransport().onIceSuccess(new InetSocketAddress("127.0.0.1", 19990), true);
        sim.publishTransport().installKeys(keys);
        f.loop().runPending();
        for (int i = 0; i < f.receiverCount(); i++) {
            SubscribeOffer offer = f.receiverPeer(i).expectLast(SubscribeOffer.class);
            f.receiver(i).onSubscribeAnswer(new SubscribeAnswer(
                    ForwardingFixture.answerFor(offer.sdp(), random, true, true), offer.revision()));
        }
        f.loop().runPending();
        f.loop().discardDeferred();
    }

    private Subscription videoOf(Participant receiver) {
        return receiver.subscriptions.stream()
                .filter(s -> s.track.owner == sim && s.track.kind == TrackKind.video).findFirst().orElseThrow();
    }

    private static byte[] lastTo(ForwardingFixture f, int i) {
        PacketBuffer p = new PacketBuffer(PacketPool.BUFFER_SIZE);
        f.sink().lastTo(i, p);
        assertThat(f.receiverClient(i).unprotectRtp(p)).isEqualTo(SrtpResult.OK);
        return Arrays.copyOfRange(p.getBuffer(), p.getOffset(), p.getOffset() + p.getLength());
    }

    @Test
    void eachReceiverGetsOneLayerOnOneSsrcAndSwitchesAtKeyframes() throws Exception {
        try (ForwardingFixture f = ForwardingFixture.builder().receivers(2).rtx().twcc().build()) {
            publishSimulcast(f);
            Track video = sim.published.get("1");
            assertThat(video.simulcast()).isTrue();
            Subscription capped = videoOf(f.receiver(0));
            Subscription open = videoOf(f.receiver(1));
            f.sink().capture(true);
            for (int layer = 0; layer < 3; layer++) {
                send(layer, true);
            }
            assertThat(video.layerSsrcs).as("learned from the rid extension").containsExactly(LAYER_SSRCS);
            assertThat(video.layerHeights).containsExactly(HEIGHTS);
            assertThat(f.sink().toReceivers()).as("no layer chosen yet").isZero();

            f.manager().selectLayers(); // nothing measured: both start on the lowest layer
            assertThat(capped.layers.target()).isZero();
            assertThat(open.layers.target()).isZero();
            send(0, true);
            byte[] got = lastTo(f, 1);
            assertThat(Rtp.ssrc(got, 0)).isEqualTo(video.ssrc);
            assertThat(open.layer()).isEqualTo("q");
            int lastOut = Rtp.sequence(got, 0);

            // Rates measured; receiver 0's downlink turns out lossy, receiver 1's is unknown (no feedback).
            video.layerBitrates[0] = 150_000;
            video.layerBitrates[1] = 700_000;
            video.layerBitrates[2] = 1_500_000;
            ArrivalRecorder browser0 = new ArrivalRecorder();
            byte[] fb = new byte[2048];
            for (int round = 0; round < 8; round++) {
                for (int i = 0; i < 10; i++) {
                    send(0, false);
                    byte[] p = lastTo(f, 0);
                    int tw = TransportSequence.read(p, 0, p.length, Participant.SUBSCRIBE_TWCC_ID);
                    if (i == 0 || i == 9) {
                        browser0.onPacket(tw, round * 100_000L + i * 1000L); // 8 of 10 lost
                    }
                }
                int len = browser0.writeFeedback(fb, 0, 1, video.ssrc);
                PacketBuffer rtcp = new PacketBuffer(PacketPool.BUFFER_SIZE).set(fb, 0, len);
                assertThat(f.receiverClient(0).protectRtcp(rtcp)).isEqualTo(SrtpResult.OK);
                f.receiverTransport(0).onSrtp(rtcp);
            }
            // one cut (at most one per 300 ms, and this runs faster): 1 Mbit/s x (1 - 0.8 / 2)
            assertThat(f.receiver(0).downlinkEstimateBps()).isLessThan(700_000);
            got = lastTo(f, 1);
            lastOut = Rtp.sequence(got, 0);
            f.manager().selectLayers();
            assertThat(capped.layers.target()).as("capped: the lowest layer").isZero();
            assertThat(open.layers.target()).as("unlimited: the highest").isEqualTo(2);

            long toOpen = f.sink().toReceiver(1);
            send(2, false);
            assertThat(f.sink().toReceiver(1)).as("no switch on a delta frame").isEqualTo(toOpen);
            send(0, false);
            assertThat(Rtp.sequence(lastTo(f, 1), 0)).as("the old layer flows meanwhile").isEqualTo(lastOut + 1);
            send(2, true);
            got = lastTo(f, 1);
            assertThat(open.layer()).isEqualTo("f");
            assertThat(Rtp.ssrc(got, 0)).isEqualTo(video.ssrc);
            assertThat(Rtp.sequence(got, 0)).as("continuous across the switch").isEqualTo(lastOut + 2);
            int fOut = Rtp.sequence(got, 0);
            byte[] fPayload = Arrays.copyOfRange(got, Rtp.headerLength(got, 0, got.length), got.length);
            toOpen = f.sink().toReceiver(1);
            long toCapped = f.sink().toReceiver(0);
            send(0, false);
            assertThat(capped.layer()).isEqualTo("q");
            assertThat(f.sink().toReceiver(0)).isEqualTo(toCapped + 1);
            assertThat(f.sink().toReceiver(1)).as("layer q no longer reaches receiver 1").isEqualTo(toOpen);

            // Receiver 1 lost the f keyframe: the node resends it from layer f's cache as RTX.
            byte[] nack = new byte[64];
            int len = Nack.write(nack, 0, 0x0BADCAFE, video.ssrc, new int[] {fOut}, 1);
            PacketBuffer rtcp = new PacketBuffer(PacketPool.BUFFER_SIZE).set(nack, 0, len);
            assertThat(f.receiverClient(1).protectRtcp(rtcp)).isEqualTo(SrtpResult.OK);
            f.receiverTransport(1).onSrtp(rtcp);
            byte[] resend = lastTo(f, 1);
            assertThat(Rtp.ssrc(resend, 0)).isEqualTo(video.rtxSsrc);
            assertThat(Rtx.originalSequence(resend, 0, resend.length)).isEqualTo(fOut);
            int header = Rtp.headerLength(resend, 0, resend.length);
            assertThat(Arrays.copyOfRange(resend, header + Rtx.OSN_LENGTH, resend.length)).isEqualTo(fPayload);
        }
    }
}
