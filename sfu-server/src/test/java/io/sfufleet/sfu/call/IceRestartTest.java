package io.sfufleet.sfu.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.model.signal.Join;
import io.sfufleet.model.signal.Joined;
import io.sfufleet.model.signal.MediaSource;
import io.sfufleet.model.signal.PublishAnswer;
import io.sfufleet.model.signal.PublishOffer;
import io.sfufleet.model.signal.PublishedTrack;
import io.sfufleet.model.signal.SubscribeAnswer;
import io.sfufleet.model.signal.SubscribeOffer;
import io.sfufleet.sfu.SfuNode;
import io.sfufleet.sfu.TestNodes;
import io.sfufleet.sfu.ice.StunTestMessages;
import io.sfufleet.sfu.sdp.ChromeOffers;
import io.sfufleet.sfu.sdp.MediaSection;
import io.sfufleet.sfu.sdp.SessionDescription;
import io.sfufleet.sfu.signal.WsTestClient;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * ICE restart through the signalling protocol on a real node: a publish offer with a new
 * ufrag/pwd gets new node credentials in the answer, the old ones stop working, and the subscribe
 * connection is re-offered with new credentials too.
 */
class IceRestartTest {
    private static final List<PublishedTrack> TRACKS = List.of(
            new PublishedTrack("0", MediaSource.microphone, false),
            new PublishedTrack("1", MediaSource.camera, false));
    /** The client's side after its restart: new a=ice-ufrag and a=ice-pwd in every m-section. */
    private static final String RESTARTED_OFFER = ChromeOffers.PUBLISH_AUDIO_VIDEO
            .replace("a=ice-ufrag:Zq3x", "a=ice-ufrag:Rst9")
            .replace("a=ice-pwd:Wq2Nq7U4Xm4eYl1Ssv4u1Qm1", "a=ice-pwd:Nw5Pq8R2Tz6Yb3Cd7Fg1Hj4K");

    private static MediaSection first(String sdp) throws Exception {
        return SessionDescription.parse(sdp).media().get(0);
    }

    /** Sends a check with the node's {@code ufrag}/{@code pwd} and returns the STUN message type answered. */
    private static int check(DatagramSocket udp, int port, String ufrag, String clientUfrag, String pwd) throws Exception {
        byte[] tid = new byte[12];
        new Random().nextBytes(tid);
        byte[] req = StunTestMessages.browserLikeRequest(tid, ufrag, clientUfrag, pwd);
        udp.send(new DatagramPacket(req, req.length, new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
        DatagramPacket resp = new DatagramPacket(new byte[1500], 1500);
        udp.receive(resp);
        return ((resp.getData()[0] & 0xFF) << 8) | (resp.getData()[1] & 0xFF);
    }

    @Test
    void aNewUfragInThePublishOfferRestartsIceOnBothConnections() throws Exception {
        try (SfuNode node = TestNodes.start();
             WsTestClient alice = new WsTestClient(node.httpPort());
             WsTestClient bob = new WsTestClient(node.httpPort());
             DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            udp.setSoTimeout(10_000);
            alice.send(new Join(1, "restart", "Alice", null, TestNodes.token("restart", "Alice")));
            alice.expect(Joined.class);
            alice.send(new PublishOffer(ChromeOffers.PUBLISH_AUDIO_VIDEO, TRACKS));
            MediaSection before = first(alice.expect(PublishAnswer.class).sdp());
            bob.send(new Join(1, "restart", "Bob", null, TestNodes.token("restart", "Bob")));
            bob.expect(Joined.class);
            bob.send(new PublishOffer(ChromeOffers.PUBLISH_AUDIO_VIDEO, TRACKS));
            bob.expect(PublishAnswer.class);
            SubscribeOffer sub1 = alice.expect(SubscribeOffer.class);
            alice.send(new SubscribeAnswer(ForwardingFixture.answerFor(sub1.sdp(), new Random(3)), sub1.revision()));
            String subUfragBefore = first(sub1.sdp()).attribute("ice-ufrag");
            assertThat(check(udp, node.mediaPort(), before.attribute("ice-ufrag"), "Zq3x", before.attribute("ice-pwd")))
                    .isEqualTo(StunTestMessages.BINDING_SUCCESS);

            alice.send(new PublishOffer(RESTARTED_OFFER, TRACKS));
            MediaSection after = first(alice.expect(PublishAnswer.class).sdp());
            assertThat(after.attribute("ice-ufrag")).isNotEqualTo(before.attribute("ice-ufrag"));
            assertThat(after.attribute("ice-pwd")).isNotEqualTo(before.attribute("ice-pwd"));
            assertThat(after.attribute("fingerprint")).as("DTLS goes on").isEqualTo(before.attribute("fingerprint"));
            assertThat(check(udp, node.mediaPort(), before.attribute("ice-ufrag"), "Rst9", before.attribute("ice-pwd")))
                    .as("the old credentials are refused").isEqualTo(StunTestMessages.BINDING_ERROR);
            assertThat(check(udp, node.mediaPort(), after.attribute("ice-ufrag"), "Rst9", after.attribute("ice-pwd")))
                    .isEqualTo(StunTestMessages.BINDING_SUCCESS);

            SubscribeOffer sub2 = alice.expect(SubscribeOffer.class);
            assertThat(sub2.revision()).isGreaterThan(sub1.revision());
            MediaSection subAfter = first(sub2.sdp());
            assertThat(subAfter.attribute("ice-ufrag")).isNotEqualTo(subUfragBefore);
            alice.send(new SubscribeAnswer(ForwardingFixture.answerFor(sub2.sdp(), new Random(4)), sub2.revision()));

            // The same credentials again are a plain renegotiation, not another restart.
            alice.send(new PublishOffer(RESTARTED_OFFER, TRACKS));
            assertThat(first(alice.expect(PublishAnswer.class).sdp()).attribute("ice-ufrag"))
                    .isEqualTo(after.attribute("ice-ufrag"));
            Participant p = node.onMediaLoop(() -> node.calls().call("restart").participants().stream()
                    .filter(x -> x.name().equals("Alice")).findFirst().orElseThrow());
            assertThat(node.onMediaLoop(() -> p.publishTransport().iceRestarts())).isEqualTo(1);
            assertThat(node.onMediaLoop(() -> p.subscribeTransport().iceRestarts())).isEqualTo(1);
            // Bob restarted nothing.
            Participant b = node.onMediaLoop(() -> node.calls().call("restart").participants().stream()
                    .filter(x -> x.name().equals("Bob")).findFirst().orElseThrow());
            assertThat(node.onMediaLoop(() -> b.publishTransport().iceRestarts())).isZero();
        }
    }
}
