package io.sfufleet.sfu.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.model.signal.Join;
import io.sfufleet.model.signal.Joined;
import io.sfufleet.model.signal.MediaSource;
import io.sfufleet.model.signal.PublishAnswer;
import io.sfufleet.model.signal.PublishOffer;
import io.sfufleet.model.signal.PublishedTrack;
import io.sfufleet.sfu.SfuNode;
import io.sfufleet.sfu.TestNodes;
import io.sfufleet.sfu.call.Participant;
import io.sfufleet.sfu.ice.StunTestMessages;
import io.sfufleet.sfu.sdp.ChromeOffers;
import io.sfufleet.sfu.sdp.MediaSection;
import io.sfufleet.sfu.sdp.SessionDescription;
import io.sfufleet.sfu.signal.WsTestClient;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * ICE-TCP against a real node over real loopback sockets: a passive candidate in the SDP, STUN
 * checks answered in RFC 4571 frames, the transport moved onto the connection, bad frames counted
 * and dropped without losing the connection, and the connection limit.
 */
class IceTcpTest {
    private static final int TIMEOUT_MS = 15_000;

    /** The server's ICE credentials and TCP candidate port from a publish answer. */
    private record Answer(String ufrag, String password, int tcpPort, SessionDescription sdp) {
    }

    private static Answer publish(WsTestClient ws, String call, String name) throws Exception {
        ws.send(new Join(1, call, name, null, TestNodes.token(call, name)));
        ws.expect(Joined.class);
        ws.send(new PublishOffer(ChromeOffers.PUBLISH_AUDIO_VIDEO, List.of(
                new PublishedTrack("0", MediaSource.microphone, false),
                new PublishedTrack("1", MediaSource.camera, false))));
        SessionDescription sdp = SessionDescription.parse(ws.expect(PublishAnswer.class).sdp());
        MediaSection m = sdp.media().get(0);
        String tcp = m.attributes("candidate").stream().filter(c -> c.contains(" tcp ")).findFirst().orElseThrow();
        // "2 1 tcp 1518280447 127.0.0.1 PORT typ host tcptype passive"
        int port = Integer.parseInt(tcp.split(" ")[5]);
        return new Answer(m.attribute("ice-ufrag"), m.attribute("ice-pwd"), port, sdp);
    }

    private static void writeFrame(OutputStream out, byte[] payload) throws IOException {
        byte[] framed = new byte[payload.length + 2];
        Rfc4571Deframer.writeHeader(framed, 0, payload.length);
        System.arraycopy(payload, 0, framed, 2, payload.length);
        out.write(framed);
        out.flush();
    }

    private static byte[] readFrame(Socket s) throws IOException {
        DataInputStream in = new DataInputStream(s.getInputStream());
        int len = in.readUnsignedShort();
        byte[] b = new byte[len];
        in.readFully(b);
        return b;
    }

    private static byte[] check(Answer a, int id) {
        byte[] tid = new byte[12];
        Arrays.fill(tid, (byte) id);
        return StunTestMessages.browserLikeRequest(tid, a.ufrag(), "Zq3x", a.password());
    }

    private static Participant participant(SfuNode node, String call) throws InterruptedException {
        return node.onMediaLoop(() -> node.calls().call(call).participants().iterator().next());
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT_MS * 1_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + TIMEOUT_MS + " ms: " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void aCheckOverTcpIsAnsweredInAFrameAndMovesTheTransportOntoTheConnection() throws Exception {
        try (SfuNode node = TestNodes.start(); WsTestClient ws = new WsTestClient(node.httpPort())) {
            Answer a = publish(ws, "tcp-check", "Alice");
            assertThat(a.tcpPort()).isEqualTo(node.tcpPort()).isEqualTo(node.mediaPort());
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), a.tcpPort())) {
                s.setSoTimeout(TIMEOUT_MS);
                byte[] request = check(a, 7);
                writeFrame(s.getOutputStream(), request);
                byte[] response = readFrame(s);
                assertThat(((response[0] & 0xFF) << 8) | (response[1] & 0xFF))
                        .as("STUN message type").isEqualTo(StunTestMessages.BINDING_SUCCESS);
                assertThat(Arrays.copyOfRange(response, 8, 20)).as("transaction id")
                        .isEqualTo(Arrays.copyOfRange(request, 8, 20));

                Participant p = participant(node, "tcp-check");
                assertThat(node.onMediaLoop(() -> p.publishTransport().overTcp())).isTrue();
                assertThat(node.onMediaLoop(() -> p.publishTransport().remoteAddress()))
                        .isEqualTo(new InetSocketAddress(InetAddress.getLoopbackAddress(), s.getLocalPort()));
                assertThat(node.onMediaLoop(() -> p.publishTransport().state())).isEqualTo(PeerTransport.State.CHECKING);
            }
        }
    }

    @Test
    void badFramesAreCountedAndDroppedAndTheConnectionKeepsWorking() throws Exception {
        try (SfuNode node = TestNodes.start(); WsTestClient ws = new WsTestClient(node.httpPort())) {
            Answer a = publish(ws, "tcp-bad", "Bob");
            DropCounters drops = node.drops();
            long oversizedBefore = drops.count(DropReason.EMPTY_OR_OVERSIZED);
            long unknownBefore = drops.count(DropReason.UNKNOWN_SOURCE);
            long unauthorizedBefore = drops.count(DropReason.STUN_UNAUTHORIZED);
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), a.tcpPort())) {
                s.setSoTimeout(TIMEOUT_MS);
                OutputStream out = s.getOutputStream();
                out.write(new byte[] {0, 0});                      // an empty frame
                writeFrame(out, new byte[2000]);                    // longer than any datagram the node takes
                writeFrame(out, new byte[] {(byte) 0x80, 0x60, 0, 1}); // RTP-looking, before any check
                byte[] wrongPassword = StunTestMessages.browserLikeRequest(new byte[12], a.ufrag(), "Zq3x",
                        "not-the-password-at-all");
                writeFrame(out, wrongPassword);
                await("empty and oversized frames counted",
                        () -> drops.count(DropReason.EMPTY_OR_OVERSIZED) == oversizedBefore + 2);
                await("media before a check dropped", () -> drops.count(DropReason.UNKNOWN_SOURCE) == unknownBefore + 1);
                await("a check with the wrong password refused",
                        () -> drops.count(DropReason.STUN_UNAUTHORIZED) == unauthorizedBefore + 1);
                // The node answers the bad check with an error (RFC 8445 section 7.3.1.1 says 401) ...
                byte[] error = readFrame(s);
                assertThat(((error[0] & 0xFF) << 8) | (error[1] & 0xFF)).isEqualTo(StunTestMessages.BINDING_ERROR);
                // ... and the stream is still in step: a good check after all of it is answered.
                writeFrame(out, check(a, 9));
                byte[] response = readFrame(s);
                assertThat(((response[0] & 0xFF) << 8) | (response[1] & 0xFF)).isEqualTo(StunTestMessages.BINDING_SUCCESS);
            }
        }
    }

    @Test
    void connectionsOverTheLimitAreClosedAndCounted() throws Exception {
        try (SfuNode node = TestNodes.start(Map.of("SFU_MEDIA_TCP_MAX_CONNECTIONS", "2"))) {
            List<Socket> open = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    Socket s = new Socket(InetAddress.getLoopbackAddress(), node.tcpPort());
                    open.add(s);
                }
                long before = node.drops().count(DropReason.TCP_CONNECTION_LIMIT);
                try (Socket third = new Socket(InetAddress.getLoopbackAddress(), node.tcpPort())) {
                    third.setSoTimeout(TIMEOUT_MS);
                    assertThat(closedByPeer(third)).as("third connection closed by the node").isTrue();
                }
                assertThat(node.drops().count(DropReason.TCP_CONNECTION_LIMIT)).isEqualTo(before + 1);
                // the first two are still open: the node has not answered them with a close
                open.getFirst().setSoTimeout(300);
                assertThatStillOpen(open.getFirst());
            } finally {
                for (Socket s : open) {
                    s.close();
                }
            }
        }
    }

    @Test
    void withUdpOffTheAnswerOffersOnlyTheTcpCandidateAndNoUdpPortIsOpen() throws Exception {
        try (SfuNode node = TestNodes.start(Map.of("SFU_MEDIA_UDP_ENABLED", "false"));
             WsTestClient ws = new WsTestClient(node.httpPort())) {
            Answer a = publish(ws, "tcp-only", "Carol");
            for (MediaSection m : a.sdp().media()) {
                assertThat(m.port()).isEqualTo(node.tcpPort());
                assertThat(m.attributes("candidate")).containsExactly(
                        "2 1 tcp 1518280447 127.0.0.1 " + node.tcpPort() + " typ host tcptype passive");
            }
            assertThat(node.mediaPort()).isEqualTo(node.tcpPort());
            // The configured UDP port number is not bound by the node: we can take it ourselves.
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", node.config().media().udpPort()))) {
                assertThat(udp.getLocalPort()).isEqualTo(node.config().media().udpPort());
            }
        }
    }

    private static boolean closedByPeer(Socket s) throws IOException {
        try {
            return s.getInputStream().read() == -1;
        } catch (SocketException reset) {
            return true;
        } catch (EOFException e) {
            return true;
        }
    }

    private static void assertThatStillOpen(Socket s) throws IOException {
        try {
            int b = s.getInputStream().read();
            throw new AssertionError("expected no data and no close, got " + b);
        } catch (SocketTimeoutException expected) {
            // open and silent
        }
    }
}
