package io.sfufleet.sfu.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.model.signal.Bye;
import io.sfufleet.model.signal.Join;
import io.sfufleet.model.signal.Joined;
import io.sfufleet.model.signal.MediaSource;
import io.sfufleet.model.signal.ParticipantLeft;
import io.sfufleet.model.signal.PublishAnswer;
import io.sfufleet.model.signal.PublishOffer;
import io.sfufleet.model.signal.PublishedTrack;
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
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Consent freshness (RFC 7675) on a real node with a 5 s timeout: a client whose media connection
 * went through ICE and then fell silent is removed, with the reason, while one that keeps sending
 * its consent checks stays.
 */
class ConsentFreshnessTest {
    private static final int TIMEOUT_SECONDS = 5;

    /** A participant that published over a real UDP socket and answered one check. */
    private record Client(WsTestClient ws, String participantId, DatagramSocket udp, String ufrag, String password) {
        /** One consent check (a binding request, as Chrome sends every few seconds) and its answer. */
        void check(int nodePort) throws Exception {
            byte[] tid = new byte[12];
            ThreadLocalRandom.current().nextBytes(tid);
            byte[] req = StunTestMessages.browserLikeRequest(tid, ufrag, "Zq3x", password);
            udp.send(new DatagramPacket(req, req.length, new InetSocketAddress(InetAddress.getLoopbackAddress(), nodePort)));
            DatagramPacket resp = new DatagramPacket(new byte[1500], 1500);
            udp.receive(resp);
            assertThat(((resp.getData()[0] & 0xFF) << 8) | (resp.getData()[1] & 0xFF))
                    .isEqualTo(StunTestMessages.BINDING_SUCCESS);
        }
    }

    private static Client join(SfuNode node, String call, String name) throws Exception {
        WsTestClient ws = new WsTestClient(node.httpPort());
        ws.send(new Join(1, call, name, null, TestNodes.token(call, name)));
        String id = ws.expect(Joined.class).participantId();
        ws.send(new PublishOffer(ChromeOffers.PUBLISH_AUDIO_VIDEO, List.of(
                new PublishedTrack("0", MediaSource.microphone, false),
                new PublishedTrack("1", MediaSource.camera, false))));
        MediaSection m = SessionDescription.parse(ws.expect(PublishAnswer.class).sdp()).media().get(0);
        DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        udp.setSoTimeout(10_000);
        Client c = new Client(ws, id, udp, m.attribute("ice-ufrag"), m.attribute("ice-pwd"));
        c.check(node.mediaPort());
        return c;
    }

    @Test
    void aSilentClientIsRemovedAfterTheTimeoutAndAnActiveOneStays() throws Exception {
        try (SfuNode node = TestNodes.start(Map.of("SFU_LIMITS_CONSENT_TIMEOUT_SECONDS", Integer.toString(TIMEOUT_SECONDS)))) {
            Client silent = join(node, "consent", "Silent");
            Client active = join(node, "consent", "Active");
            long silentSince = System.nanoTime();
            try {
                // The active one checks every second, as browsers do every 5 s or so; the silent one stops.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS + 8);
                ParticipantLeft left = null;
                while (left == null && System.nanoTime() < deadline) {
                    active.check(node.mediaPort());
                    Thread.sleep(1_000);
                    left = active.ws().pollFor(ParticipantLeft.class);
                }
                long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - silentSince);
                assertThat(left).as("the silent client was removed within %d s", TIMEOUT_SECONDS + 8).isNotNull();
                assertThat(left.participantId()).isEqualTo(silent.participantId());
                assertThat(left.reason()).isEqualTo(CallManager.CONSENT_EXPIRED);
                assertThat(elapsedMs).as("not before the timeout").isGreaterThanOrEqualTo(TIMEOUT_SECONDS * 1000L);
                assertThat(silent.ws().expect(Bye.class).reason()).isEqualTo(CallManager.CONSENT_EXPIRED);

                // The active one is still in the call a further timeout later.
                for (int i = 0; i < TIMEOUT_SECONDS + 2; i++) {
                    active.check(node.mediaPort());
                    Thread.sleep(1_000);
                }
                assertThat(node.onMediaLoop(() -> node.calls().call("consent").participants().stream()
                        .map(Participant::id).toList())).containsExactly(active.participantId());
            } finally {
                for (Client c : List.of(silent, active)) {
                    c.udp().close();
                    c.ws().close();
                }
            }
        }
    }
}
