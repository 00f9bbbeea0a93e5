package io.sfufleet.sfu.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.model.signal.Bye;
import io.sfufleet.model.signal.ErrorCode;
import io.sfufleet.model.signal.ErrorMessage;
import io.sfufleet.model.signal.Join;
import io.sfufleet.model.signal.Joined;
import io.sfufleet.model.signal.Leave;
import io.sfufleet.model.signal.MediaSource;
import io.sfufleet.model.signal.PublishAnswer;
import io.sfufleet.model.signal.PublishOffer;
import io.sfufleet.model.signal.PublishedTrack;
import io.sfufleet.model.signal.SubscribeAnswer;
import io.sfufleet.model.signal.SubscribeOffer;
import io.sfufleet.sfu.SfuNode;
import io.sfufleet.sfu.TestNodes;
import io.sfufleet.sfu.call.Participant;
import io.sfufleet.sfu.ice.StunTestMessages;
import io.sfufleet.sfu.rtp.PacketBuffer;
import io.sfufleet.sfu.sdp.ChromeOffers;
import io.sfufleet.sfu.sdp.MediaSection;
import io.sfufleet.sfu.sdp.SessionDescription;
import io.sfufleet.sfu.signal.WsTestClient;
import io.sfufleet.sfu.srtp.SrtpKeyingMaterial;
import io.sfufleet.sfu.srtp.SrtpProfile;
import io.sfufleet.sfu.srtp.SrtpResult;
import io.sfufleet.sfu.srtp.SrtpSession;
import io.sfufleet.sfu.transport.PeerTransport;
import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real node, driven over its real WebSocket and UDP port on loopback, scraped and read back with
 * the strict {@link PrometheusText} parser. A fresh node per test, so every count is exact.
 */
class NodeMetricsTest {
    private static final List<PublishedTrack> MIC_AND_CAMERA = List.of(
            new PublishedTrack("0", MediaSource.microphone, false),
            new PublishedTrack("1", MediaSource.camera, false));

    private SfuNode node;

    @BeforeEach
    void start() throws Exception {
        node = TestNodes.start();
    }

    @AfterEach
    void stop() {
        node.close();
    }

    /** A join with a token the test node accepts. */
    private static Join join(String call, String name) {
        return new Join(1, call, name, null, TestNodes.token(call, name));
    }

    private WsTestClient client() throws Exception {
        return new WsTestClient(node.httpPort());
    }

    /** Scrapes once whatever the media loop had queued is done. */
    private PrometheusText scrape() throws Exception {
        node.onMediaLoop(() -> null);
        return PrometheusText.parse(node.metrics().scrape());
    }

    /**
     * Scrapes until {@code condition} holds (counters fed from other threads), then once more: a
     * scrape reads the metrics one after another while the node goes on, so only a scrape begun
     * after the condition held shows everything that happened before it. Fails after 15 s.
     */
    private PrometheusText scrapeUntil(String what, Predicate<PrometheusText> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            PrometheusText t = scrape();
            if (condition.test(t)) {
                return scrape();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 15 s: " + what + "\n" + node.metrics().scrape());
            }
            Thread.sleep(20);
        }
    }

    @Test
    void signallingAndCallsAreCounted() throws Exception {
        try (WsTestClient alice = client(); WsTestClient bob = client(); WsTestClient carol = client()) {
            alice.send(join("m-a", "Alice"));
            alice.expect(Joined.class);
            bob.send(join("m-a", "Bob"));
            bob.expect(Joined.class);
            carol.send(join("m-b", "Carol"));
            carol.expect(Joined.class);
            alice.send(new PublishOffer(ChromeOffers.PUBLISH_AUDIO_VIDEO, MIC_AND_CAMERA));
            alice.expect(PublishAnswer.class);
            bob.expect(SubscribeOffer.class);
            carol.sendRaw("not json at all");
            carol.expect(ErrorMessage.class);
            int sent = 5;

            PrometheusText t = scrape();
            assertThat(t.value("sfu_calls")).isEqualTo(2);
            assertThat(t.value("sfu_participants")).isEqualTo(3);
            assertThat(t.value("sfu_tracks", "kind", "audio")).isEqualTo(1);
            assertThat(t.value("sfu_tracks", "kind", "video")).isEqualTo(1);
            // Alice's publish connection and Bob's subscribe connection
            assertThat(t.value("sfu_sessions")).isEqualTo(2);
            assertThat(t.value("sfu_transport_state_changes_total", "state", "new")).isEqualTo(2);
            assertThat(t.value("sfu_node_draining")).isZero();

            assertThat(t.value("sfu_ws_connections_open")).isEqualTo(3);
            assertThat(t.value("sfu_ws_connections_total")).isEqualTo(3);
            assertThat(t.value("sfu_http_connections_total")).isEqualTo(3);
            assertThat(t.value("sfu_ws_messages_total", "direction", "in")).isEqualTo(sent);
            assertThat(t.value("sfu_ws_bad_messages_total")).isEqualTo(1);
            scrapeUntil("ws messages out = what the clients received",
                    s -> s.value("sfu_ws_messages_total", "direction", "out")
                            == alice.receivedCount() + bob.receivedCount() + carol.receivedCount());
            // Joined x3, ParticipantJoined, PublishAnswer, TrackPublished x2, SubscribeOffer, ErrorMessage
            assertThat(alice.receivedCount() + bob.receivedCount() + carol.receivedCount()).isEqualTo(9);

            // the largest calls get their own series at the next tick
            t = scrapeUntil("per-call series", s -> s.has(TopCalls.PARTICIPANTS, "call", "m-a"));
            assertThat(t.value(TopCalls.PARTICIPANTS, "call", "m-a")).isEqualTo(2);
            assertThat(t.value(TopCalls.PARTICIPANTS, "call", "m-b")).isEqualTo(1);
            assertThat(t.value(TopCalls.BITRATE, "call", "m-a", "direction", "in")).isZero();
            assertThat(t.value(TopCalls.BITRATE, "call", "m-a", "direction", "out")).isZero();

            // process metrics from the client library, on the node's registry
            assertThat(t.value("process_cpu_seconds_total")).isPositive();
            assertThat(t.value("process_resident_memory_bytes")).isPositive();
            assertThat(t.value("process_open_fds")).isPositive();
            assertThat(t.value("process_max_fds")).isGreaterThanOrEqualTo(t.value("process_open_fds"));
            assertThat(t.families()).containsKey("jvm_memory_used_bytes");

            // the histogram is there before any media, with every bucket (the parser checked them)
            assertThat(t.family("sfu_forwarding_delay_seconds").type()).isEqualTo("histogram");
            assertThat(t.samples("sfu_forwarding_delay_seconds_bucket")).hasSize(14);
            assertThat(t.value("sfu_forwarding_delay_seconds_count")).isZero();

            // every family of ours says what it is
            assertThat(t.families().values()).filteredOn(f -> f.name().startsWith("sfu_")).allSatisfy(f -> {
                assertThat(f.help()).as(f.name()).isNotBlank();
                assertThat(f.type()).as(f.name()).isNotEqualTo("untyped");
            });

            bob.send(new Leave());
            bob.expect(Bye.class);
            t = scrapeUntil("Bob's connection closed", s -> s.value("sfu_ws_connections_open") == 2);
            assertThat(t.value("sfu_participants")).isEqualTo(2);
            assertThat(t.value("sfu_sessions")).isEqualTo(1);
            assertThat(t.value("sfu_transport_state_changes_total", "state", "closed")).isEqualTo(1);
            // per-call series follow at the next tick
            scrapeUntil("m-a down to 1 participant", s -> s.value(TopCalls.PARTICIPANTS, "call", "m-a") == 1);
        }
        PrometheusText t = scrapeUntil("everyone gone", s -> s.value("sfu_ws_connections_open") == 0
                && s.value("sfu_calls") == 0 && s.value("sfu_participants") == 0);
        assertThat(t.value("sfu_tracks", "kind", "audio")).isZero();
        assertThat(t.value("sfu_tracks", "kind", "video")).isZero();
        assertThat(t.value("sfu_sessions")).isZero();
        assertThat(t.samples(TopCalls.PARTICIPANTS)).isEmpty();
        assertThat(t.value("sfu_ws_connections_total")).isEqualTo(3);
    }

    @Test
    void aJoinWithoutATokenIsCounted() throws Exception {
        try (WsTestClient mallory = client()) {
            mallory.send(new Join(1, "m-auth", "Mallory", null));
            assertThat(mallory.expect(ErrorMessage.class).code()).isEqualTo(ErrorCode.UNAUTHORIZED);
            PrometheusText t = scrape();
            assertThat(t.value("sfu_ws_unauthorized_joins_total")).isEqualTo(1);
            assertThat(t.value("sfu_participants")).isZero();
            assertThat(t.value("sfu_calls")).isZero();
        }
    }

    @Test
    void garbageDatagramsAreCountedAsDrops() throws Exception {
        InetSocketAddress media = new InetSocketAddress(InetAddress.getLoopbackAddress(), node.mediaPort());
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Random random = new Random(42);
            sendN(s, media, 5, random, 0xFF);  // outside every RFC 7983 range
            sendN(s, media, 4, random, 0x80);  // RTP range, from an address no ICE check taught us
            sendN(s, media, 2, random, 0x16);  // DTLS range, same
            sendN(s, media, 3, random, 0x00);  // STUN range, not a STUN message
            // a well-formed check for a ufrag the node never handed out: a 401 and an ICE error
            byte[] check = StunTestMessages.browserLikeRequest(new byte[12], "nosuchufrag", "client", "password");
            s.send(new DatagramPacket(check, check.length, media));
        }
        PrometheusText t = scrapeUntil("15 drops", x -> x.samples("sfu_packets_dropped_total").stream()
                .mapToDouble(PrometheusText.Sample::value).sum() == 15);
        assertThat(t.value("sfu_packets_dropped_total", "reason", "not_demultiplexable")).isEqualTo(5);
        assertThat(t.value("sfu_packets_dropped_total", "reason", "unknown_source")).isEqualTo(6);
        assertThat(t.value("sfu_packets_dropped_total", "reason", "stun_malformed")).isEqualTo(3);
        assertThat(t.value("sfu_packets_dropped_total", "reason", "stun_unauthorized")).isEqualTo(1);
        assertThat(t.value("sfu_packets_dropped_total", "reason", "srtp_auth_failed")).isZero();
        assertThat(t.value("sfu_rtc_errors_total", "type", "ice_auth")).isEqualTo(1);
        assertThat(t.value("sfu_rtc_errors_total", "type", "dtls_handshake")).isZero();
        assertThat(t.value("sfu_media_packets_total", "direction", "in", "kind", "stun")).isEqualTo(4);
        assertThat(t.value("sfu_media_packets_total", "direction", "out", "kind", "stun")).isEqualTo(1);
        assertThat(t.value("sfu_media_packets_total", "direction", "in", "kind", "dtls")).isZero();
        assertThat(t.value("sfu_media_packets_total", "direction", "in", "kind", "audio")).isZero();
    }

    @Test
    void dtlsFromAKnownClientIsCountedAsDtls() throws Exception {
        try (WsTestClient alice = client(); DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            alice.send(join("m-dtls", "Alice"));
            alice.expect(Joined.class);
            alice.send(new PublishOffer(ChromeOffers.PUBLISH_AUDIO_VIDEO, MIC_AND_CAMERA));
            SessionDescription answer = SessionDescription.parse(alice.expect(PublishAnswer.class).sdp());
            InetSocketAddress media = new InetSocketAddress(InetAddress.getLoopbackAddress(), node.mediaPort());
            iceCheck(udp, media, answer.media().get(0));
            // a record in the DTLS range that is no valid record: handed to the session, which discards it
            sendN(udp, media, 1, new Random(3), 0x16);
            PrometheusText t = scrapeUntil("one DTLS datagram in",
                    s -> s.value("sfu_media_packets_total", "direction", "in", "kind", "dtls") == 1);
            assertThat(t.value("sfu_transport_state_changes_total", "state", "checking")).isEqualTo(1);
            assertThat(t.value("sfu_packets_dropped_total", "reason", "unknown_source")).isZero();
        }
    }

    private static void sendN(DatagramSocket s, InetSocketAddress to, int n, Random random, int firstByte)
            throws Exception {
        for (int i = 0; i < n; i++) {
            byte[] b = new byte[20 + random.nextInt(100)];
            random.nextBytes(b);
            b[0] = (byte) firstByte;
            s.send(new DatagramPacket(b, b.length, to));
        }
    }

    /**
     * Media through the real receive path: ICE checks over UDP as a browser sends them, SRTP keys
     * installed in-process instead of a DTLS handshake, SRTP audio from "Alice" that the node
     * decrypts and forwards to "Bob". Every packet is counted in and out and timed once.
     */
    @Test
    void forwardedMediaIsCountedAndTimed() throws Exception {
        final int packets = 50;
        final int payload = 40;
        try (WsTestClient alice = client(); WsTestClient bob = client();
             DatagramSocket aliceUdp = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             DatagramSocket bobUdp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            alice.send(join("m-media", "Alice"));
            alice.expect(Joined.class);
            bob.send(join("m-media", "Bob"));
            bob.expect(Joined.class);
            alice.send(new PublishOffer(ChromeOffers.PUBLISH_AUDIO_VIDEO, MIC_AND_CAMERA));
            SessionDescription publishAnswer = SessionDescription.parse(alice.expect(PublishAnswer.class).sdp());
            SubscribeOffer offer = bob.expect(SubscribeOffer.class);
            SessionDescription subscribeOffer = SessionDescription.parse(offer.sdp());
            bob.send(new SubscribeAnswer(answerFor(subscribeOffer), offer.revision()));
            // A second answer to the same offer is refused on the media loop, after the first was
            // taken: its error tells us the subscription is negotiated.
            bob.send(new SubscribeAnswer(answerFor(subscribeOffer), offer.revision()));
            assertThat(bob.expect(ErrorMessage.class).code()).isEqualTo(ErrorCode.STALE_REVISION);

            InetSocketAddress media = new InetSocketAddress(InetAddress.getLoopbackAddress(), node.mediaPort());
            iceCheck(aliceUdp, media, publishAnswer.media().get(0));
            iceCheck(bobUdp, media, subscribeOffer.media().get(0));

            Random random = new Random(7);
            SrtpKeyingMaterial aliceKeys = randomKeys(random);
            SrtpKeyingMaterial bobKeys = randomKeys(random);
            node.onMediaLoop(() -> {
                var call = node.calls().call("m-media");
                Function<String, Participant> byName = name -> call.participants().stream()
                        .filter(p -> p.name().equals(name)).findFirst().orElseThrow();
                PeerTransport pub = byName.apply("Alice").publishTransport();
                PeerTransport sub = byName.apply("Bob").subscribeTransport();
                assertThat(pub.remoteAddress()).isEqualTo(aliceUdp.getLocalSocketAddress());
                assertThat(sub.remoteAddress()).isEqualTo(bobUdp.getLocalSocketAddress());
                pub.installKeys(aliceKeys);
                sub.installKeys(bobKeys);
                return null;
            });

            SrtpSession aliceSrtp = new SrtpSession(aliceKeys, false);
            for (int i = 0; i < packets; i++) {
                sendAudio(aliceSrtp, aliceUdp, media, i, payload);
            }
            assertThat(receiveRtp(bobUdp, packets)).isEqualTo(packets);

            PrometheusText t = scrape();
            assertThat(t.value("sfu_media_packets_total", "direction", "in", "kind", "audio")).isEqualTo(packets);
            assertThat(t.value("sfu_media_bytes_total", "direction", "in", "kind", "audio"))
                    .isEqualTo(packets * (12 + payload));
            assertThat(t.value("sfu_media_packets_total", "direction", "out", "kind", "audio")).isEqualTo(packets);
            assertThat(t.value("sfu_media_bytes_total", "direction", "out", "kind", "audio"))
                    .isEqualTo(packets * (12 + payload));
            assertThat(t.value("sfu_media_packets_total", "direction", "in", "kind", "stun")).isEqualTo(2);
            assertThat(t.value("sfu_media_packets_total", "direction", "out", "kind", "stun")).isEqualTo(2);
            assertThat(t.value("sfu_forwarding_delay_seconds_count")).isEqualTo(packets);
            assertThat(t.value("sfu_forwarding_delay_seconds_bucket", "le", "+Inf")).isEqualTo(packets);
            double sum = t.value("sfu_forwarding_delay_seconds_sum");
            assertThat(sum).isPositive().isLessThan(packets * 0.1);
            assertThat(t.value("sfu_transport_state_changes_total", "state", "checking")).isEqualTo(2);
            assertThat(t.value("sfu_transport_state_changes_total", "state", "connected")).isEqualTo(2);
            assertThat(t.value("sfu_sessions")).isEqualTo(2);
            assertThat(t.value("sfu_packets_dropped_total", "reason", "srtp_auth_failed")).isZero();

            // The per-call bitrate is the last second's: keep the audio flowing (one packet per
            // 20 ms, as Opus sends) until a tick has seen it both ways.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            int seq = packets;
            while (true) {
                sendAudio(aliceSrtp, aliceUdp, media, seq++, payload);
                t = PrometheusText.parse(node.metrics().scrape());
                if (t.has(TopCalls.BITRATE, "call", "m-media", "direction", "in")
                        && t.value(TopCalls.BITRATE, "call", "m-media", "direction", "in") > 0
                        && t.value(TopCalls.BITRATE, "call", "m-media", "direction", "out") > 0) {
                    break;
                }
                assertThat(System.nanoTime()).as("a tick saw the call's bitrate within 15 s").isLessThan(deadline);
                Thread.sleep(20);
            }
            assertThat(t.value(TopCalls.PARTICIPANTS, "call", "m-media")).isEqualTo(2);
            aliceSrtp.close();
        }
    }

    /** One SRTP-protected Opus packet from Alice's SSRC 1001 (as in the offer). */
    private static void sendAudio(SrtpSession srtp, DatagramSocket socket, InetSocketAddress to, int seq, int payload)
            throws Exception {
        byte[] rtp = new byte[12 + payload];
        rtp[0] = (byte) 0x80;
        rtp[1] = 111; // opus, as in the offer
        rtp[2] = (byte) (seq >> 8);
        rtp[3] = (byte) seq;
        io.sfufleet.sfu.rtp.Rtp.writeUint32(rtp, 4, seq * 960L);
        io.sfufleet.sfu.rtp.Rtp.writeUint32(rtp, 8, 1001);
        PacketBuffer p = new PacketBuffer(1600);
        p.set(rtp, 0, rtp.length);
        assertThat(srtp.protectRtp(p)).isEqualTo(SrtpResult.OK);
        socket.send(new DatagramPacket(p.getBuffer(), p.getOffset(), p.getLength(), to));
    }

    @Test
    void writeToGivesTheTextFormatWithItsContentType() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        node.metrics().writeTo(out);
        PrometheusText t = PrometheusText.parse(out.toString(StandardCharsets.UTF_8));
        assertThat(t.value("sfu_calls")).isZero();
        assertThat(node.metrics().contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        assertThat(NodeMetrics.CONTENT_TYPE).isEqualTo(node.metrics().contentType());
    }

    @Test
    void theAdminApiServesTheseMetrics() throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + node.adminPort() + io.sfufleet.model.api.ApiPaths.METRICS))
                .header("Authorization", "Bearer " + TestNodes.API_TOKEN)
                .timeout(java.time.Duration.ofSeconds(15))
                .build();
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient()
                .send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains(NodeMetrics.CONTENT_TYPE);
        PrometheusText t = PrometheusText.parse(r.body());
        assertThat(t.value("sfu_ready")).isEqualTo(1);
        assertThat(t.value("sfu_calls")).isZero();
        assertThat(t.family("sfu_forwarding_delay_seconds").type()).isEqualTo("histogram");
        assertThat(t.value("process_open_fds")).isPositive();
    }

    /** An ICE check as a browser sends it, answered by the node; teaches it the client's address. */
    private static void iceCheck(DatagramSocket socket, InetSocketAddress media, MediaSection m) throws Exception {
        byte[] request = StunTestMessages.browserLikeRequest(new byte[12], m.attribute("ice-ufrag"), "clnt",
                m.attribute("ice-pwd"));
        socket.send(new DatagramPacket(request, request.length, media));
        byte[] buf = new byte[1500];
        DatagramPacket response = new DatagramPacket(buf, buf.length);
        socket.setSoTimeout(15_000);
        socket.receive(response);
        assertThat((buf[0] & 0xFF) << 8 | (buf[1] & 0xFF)).isEqualTo(StunTestMessages.BINDING_SUCCESS);
    }

    /** Counts RTP (not RTCP) datagrams until {@code expected} came or none came for 15 s. */
    private static int receiveRtp(DatagramSocket socket, int expected) throws Exception {
        byte[] buf = new byte[1600];
        socket.setSoTimeout(15_000);
        int n = 0;
        try {
            while (n < expected) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                socket.receive(p);
                int second = buf[1] & 0xFF;
                if ((buf[0] & 0xC0) == 0x80 && (second < 192 || second > 223)) {
                    n++;
                }
            }
        } catch (SocketTimeoutException e) {
            // fall through: the caller compares the count
        }
        return n;
    }

    /** A minimal answer to a subscribe offer: the same m-sections, recvonly, with ICE and DTLS attributes. */
    private static String answerFor(SessionDescription offer) {
        StringBuilder sdp = new StringBuilder("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n");
        for (MediaSection m : offer.media()) {
            sdp.append("m=").append(m.kind()).append(" 9 UDP/TLS/RTP/SAVPF ").append(m.formats().get(0)).append("\r\n")
                    .append("c=IN IP4 0.0.0.0\r\n")
                    .append("a=mid:").append(m.mid()).append("\r\n")
                    .append("a=ice-ufrag:clnt\r\na=ice-pwd:clientpasswordclientpassword\r\n")
                    .append("a=fingerprint:sha-256 ")
                    .append("0F:74:31:25:CB:A2:13:EC:28:6F:6D:2C:61:FF:5D:C2:BC:B9:DB:3D:98:14:8D:1A:BB:EA:33:0C:A4:60:A8:8E")
                    .append("\r\na=setup:active\r\na=recvonly\r\na=rtcp-mux\r\n");
        }
        return sdp.toString();
    }

    private static SrtpKeyingMaterial randomKeys(Random random) {
        SrtpProfile profile = SrtpProfile.AES128_CM_HMAC_SHA1_80;
        byte[] ck = new byte[profile.keyLength];
        byte[] cs = new byte[profile.saltLength];
        byte[] sk = new byte[profile.keyLength];
        byte[] ss = new byte[profile.saltLength];
        random.nextBytes(ck);
        random.nextBytes(cs);
        random.nextBytes(sk);
        random.nextBytes(ss);
        return new SrtpKeyingMaterial(profile, ck, cs, sk, ss);
    }
}
