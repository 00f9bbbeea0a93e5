package io.sfufleet.sfu.call;

import io.sfufleet.model.signal.ErrorMessage;
import io.sfufleet.model.signal.Join;
import io.sfufleet.model.signal.MediaSource;
import io.sfufleet.model.signal.PublishAnswer;
import io.sfufleet.model.signal.PublishOffer;
import io.sfufleet.model.signal.PublishedTrack;
import io.sfufleet.model.signal.ServerMessage;
import io.sfufleet.model.signal.SubscribeAnswer;
import io.sfufleet.model.signal.SubscribeOffer;
import io.sfufleet.sfu.auth.JoinGrant;
import io.sfufleet.sfu.auth.Permission;
import io.sfufleet.sfu.dtls.DtlsCertificate;
import io.sfufleet.sfu.dtls.DtlsCounters;
import io.sfufleet.sfu.dtls.DtlsSessionOptions;
import io.sfufleet.sfu.metrics.NodeMetrics;
import io.sfufleet.sfu.rtp.PacketBuffer;
import io.sfufleet.sfu.rtp.PacketPool;
import io.sfufleet.sfu.rtp.Rtp;
import io.sfufleet.sfu.sdp.ChromeOffers;
import io.sfufleet.sfu.sdp.MediaSection;
import io.sfufleet.sfu.sdp.SdpException;
import io.sfufleet.sfu.sdp.SessionDescription;
import io.sfufleet.sfu.signal.SignallingHandler;
import io.sfufleet.sfu.srtp.SrtpKeyingMaterial;
import io.sfufleet.sfu.srtp.SrtpProfile;
import io.sfufleet.sfu.srtp.SrtpResult;
import io.sfufleet.sfu.srtp.SrtpSession;
import io.sfufleet.sfu.transport.DropCounters;
import io.sfufleet.sfu.transport.MediaMetrics;
import io.sfufleet.sfu.transport.PacketSink;
import io.sfufleet.sfu.transport.PeerTransport;
import io.sfufleet.sfu.transport.TransportRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * A call as the node holds it after real signalling, without sockets or DTLS: a publisher that
 * published Chrome's microphone and camera ({@link ChromeOffers#PUBLISH_AUDIO_VIDEO}) and N
 * receivers whose subscribe offers were answered, every transport keyed with
 * {@link PeerTransport#installKeys} and random SRTP keys. The client side of each connection is an
 * {@link SrtpSession} with the same keys ({@code weAreDtlsServer = false}), so a test protects
 * packets as the browser would and hands them to {@link PeerTransport#onSrtp}: the real receive,
 * forward and send path, up to the {@link PacketSink}.
 *
 * <p>The media loop is a {@link ManualMediaLoop}: the thread that drives the fixture is the media
 * loop, and posted tasks run only in {@link ManualMediaLoop#runPending()}. The sink counts and can
 * keep a copy of the last packet per receiver; it never touches Netty. Metrics are off unless the
 * builder asks for the node's real ones ({@link Builder#nodeMetrics()}).
 *
 * <p>Receivers are told apart by their address: receiver i is {@code 127.0.0.1:(20000 + i)}, the
 * publisher {@code 127.0.0.1:19999}.
 */
public final class ForwardingFixture implements AutoCloseable {
    /** The SSRCs, payload types and mids of {@link ChromeOffers#PUBLISH_AUDIO_VIDEO}. */
    public static final int AUDIO_SSRC = 1001;
    public static final int VIDEO_SSRC = 2001;
    public static final int AUDIO_PT = 111;
    public static final int VIDEO_PT = 96;
    public static final List<PublishedTrack> CHROME_TRACKS = List.of(
            new PublishedTrack("0", MediaSource.microphone, false),
            new PublishedTrack("1", MediaSource.camera, false));

    private static final int FIRST_RECEIVER_PORT = 20000;
    private static final InetSocketAddress PUBLISHER_ADDRESS = new InetSocketAddress("127.0.0.1", FIRST_RECEIVER_PORT - 1);

    private final ManualMediaLoop loop;
    private final CountingSink sink;
    private final DropCounters drops;
    private final PacketPool pool;
    private final CallManager manager;
    private final Participant publisher;
    private final RecordingPeer publisherPeer;
    private final List<Participant> receivers = new ArrayList<>();
    private final List<RecordingPeer> receiverPeers = new ArrayList<>();
    private final SrtpSession publisherClient;
    private final List<SrtpSession> receiverClients = new ArrayList<>();

    private ForwardingFixture(Builder b) throws SdpException {
        Random random = new Random(b.seed);
        this.loop = new ManualMediaLoop();
        this.sink = new CountingSink(b.receivers);
        this.drops = new DropCounters();
        this.pool = new PacketPool(64);
        DtlsCertificate certificate = b.certificate != null ? b.certificate : DtlsCertificate.generate();
        // The node's real metrics (counters per packet, a forwarding-delay histogram per receiver), or none.
        NodeMetrics nodeMetrics = b.nodeMetrics ? new NodeMetrics(drops, new DtlsCounters(),
                new SignallingHandler.Counters(), NodeMetrics.DEFAULT_MAX_CALL_SERIES) : null;
        MediaContext ctx = new MediaContext(loop, pool, drops, new NoRegistry(), sink, certificate,
                "127.0.0.1", 50000, "fixture", 10, b.receivers + 8, TimeUnit.MILLISECONDS.toNanos(1000), 1_500_000,
                DtlsSessionOptions.defaults(), nodeMetrics == null ? MediaMetrics.NONE : nodeMetrics.media(), 0, true,
                b.forwardLoss, io.sfufleet.sfu.ice.TurnCredentials.NONE, io.sfufleet.sfu.sdp.Codecs.DEFAULT_VIDEO);
        this.manager = new CallManager(ctx);
        if (nodeMetrics != null) {
            nodeMetrics.attach(manager);
        }

        this.publisherPeer = new RecordingPeer("publisher");
        this.publisher = join("publisher", publisherPeer);
        for (int i = 0; i < b.receivers; i++) {
            RecordingPeer peer = new RecordingPeer("receiver-" + i);
            receiverPeers.add(peer);
            Participant receiver = join("receiver-" + i, peer);
            // as if its publish offer had offered RTX, as Chrome's does
            receiver.receivesRtx = b.rtx;
            receivers.add(receiver);
        }
        publisher.onPublishOffer(new PublishOffer(ChromeOffers.PUBLISH_AUDIO_VIDEO, CHROME_TRACKS));
        publisherPeer.expectLast(PublishAnswer.class);
        loop.runPending();
        for (int i = 0; i < receivers.size(); i++) {
            SubscribeOffer offer = receiverPeers.get(i).expectLast(SubscribeOffer.class);
            receivers.get(i).onSubscribeAnswer(new SubscribeAnswer(answerFor(offer.sdp(), random, b.rtx, b.twcc),
                    offer.revision()));
        }
        loop.runPending();

        SrtpKeyingMaterial publisherKeys = randomKeys(b.profile, random);
        this.publisherClient = new SrtpSession(publisherKeys, false);
        PeerTransport pub = publisher.publishTransport();
        pub.onIceSuccess(PUBLISHER_ADDRESS, true);
        pub.installKeys(publisherKeys);
        for (int i = 0; i < receivers.size(); i++) {
            SrtpKeyingMaterial keys = randomKeys(b.profile, random);
            receiverClients.add(new SrtpSession(keys, false));
            PeerTransport t = receivers.get(i).subscribeTransport();
            t.onIceSuccess(new InetSocketAddress("127.0.0.1", FIRST_RECEIVER_PORT + i), true);
            t.installKeys(keys);
        }
        loop.runPending();
        // The keyframe requests the connections caused are done; later ones wait for the throttle.
        loop.discardDeferred();
        checkReady();
        sink.reset();
        // Signalling so far was the fixture's own; tests see only what comes after.
        publisherPeer.clear();
        receiverPeers.forEach(RecordingPeer::clear);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Options of a fixture; the defaults are one receiver, AES-GCM, a fresh certificate, no metrics. */
    public static final class Builder {
        private int receivers = 1;
        private SrtpProfile profile = SrtpProfile.AEAD_AES_128_GCM;
        private DtlsCertificate certificate;
        private long seed = 1;
        private boolean nodeMetrics;
        private boolean rtx;
        private boolean twcc;
        private ForwardLoss forwardLoss = ForwardLoss.NONE;

        /** The node drops forwarded packets as {@code loss} says (its send-path test seam). */
        public Builder forwardLoss(ForwardLoss loss) {
            this.forwardLoss = loss;
            return this;
        }

        /** The receivers' answers keep the RTX payload type of video m-sections, as Chrome's do. */
        public Builder rtx() {
            this.rtx = true;
            return this;
        }

        /** The receivers' answers keep the transport-wide sequence extension, as Chrome's do. */
        public Builder twcc() {
            this.twcc = true;
            return this;
        }

        public Builder receivers(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("receivers must be >= 0, got " + n);
            }
            this.receivers = n;
            return this;
        }

        public Builder profile(SrtpProfile p) {
            this.profile = p;
            return this;
        }

        /** Shares a certificate between fixtures; making one costs milliseconds. */
        public Builder certificate(DtlsCertificate c) {
            this.certificate = c;
            return this;
        }

        /**
         * Counts into the node's real metrics ({@link NodeMetrics}), as a running node does on the
         * media path; without this the fixture passes {@link MediaMetrics#NONE}.
         */
        public Builder nodeMetrics() {
            this.nodeMetrics = true;
            return this;
        }

        /** Seeds the SRTP keys and the receivers' ICE and DTLS values. */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        public ForwardingFixture build() {
            try {
                return new ForwardingFixture(this);
            } catch (SdpException e) {
                throw new IllegalStateException("fixture SDP rejected: " + e.getMessage(), e);
            }
        }
    }

    private void checkReady() {
        if (!publisher.publishTransport().isConnected() || publisher.published.size() != 2) {
            throw new IllegalStateException("publisher not connected with two tracks");
        }
        for (Participant r : receivers) {
            if (!r.subscribeTransport().isConnected() || r.subscriptions.size() != 2) {
                throw new IllegalStateException(r.id + ": subscribe connection not ready");
            }
            for (Subscription s : r.subscriptions) {
                if (!s.active || !s.negotiated) {
                    throw new IllegalStateException(r.id + ": subscription " + s.mid + " not negotiated");
                }
            }
        }
    }

    /** Joins another participant to the fixture's call, with every permission a token can grant. */
    public Participant join(String name, RecordingPeer peer) {
        JoinGrant grant = new JoinGrant("fixture", name, EnumSet.allOf(Permission.class),
                Instant.now().plus(Duration.ofHours(1)), "fixture");
        try {
            Participant p = manager.join(new Join(1, "fixture", name, null), grant, peer);
            // Fixture clients may never publish: their first subscribe offer does not wait for a publish offer.
            p.firstOfferHeld = true;
            return p;
        } catch (JoinRefused e) {
            throw new IllegalStateException("fixture join refused: " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- accessors

    public ManualMediaLoop loop() {
        return loop;
    }

    public CountingSink sink() {
        return sink;
    }

    public DropCounters drops() {
        return drops;
    }

    public PacketPool pool() {
        return pool;
    }

    public CallManager manager() {
        return manager;
    }

    public Participant publisher() {
        return publisher;
    }

    public RecordingPeer publisherPeer() {
        return publisherPeer;
    }

    public PeerTransport publisherTransport() {
        return publisher.publishTransport();
    }

    /** The publisher's browser: protects what it sends, unprotects what the node sends it. */
    public SrtpSession publisherClient() {
        return publisherClient;
    }

    public int receiverCount() {
        return receivers.size();
    }

    public Participant receiver(int i) {
        return receivers.get(i);
    }

    public RecordingPeer receiverPeer(int i) {
        return receiverPeers.get(i);
    }

    public PeerTransport receiverTransport(int i) {
        return receivers.get(i).subscribeTransport();
    }

    /** Receiver i's browser, for decrypting what the node sent it. */
    public SrtpSession receiverClient(int i) {
        return receiverClients.get(i);
    }

    /** Packets the node forwarded (counted by the call manager), for checks. */
    public long forwardedPackets() {
        return manager.forwardedPackets();
    }

    // ---------------------------------------------------------------- packets

    /**
     * Writes an RTP packet with a 12-byte header and {@code payloadLength} bytes of a fixed pattern
     * at offset 0 of {@code p}, as a browser would before protecting it. Allocates nothing.
     */
    public static void writeRtp(PacketBuffer p, int payloadType, int seq, long timestamp, int ssrc,
                                int payloadLength) {
        byte[] b = p.getBuffer();
        b[0] = (byte) 0x80;
        b[1] = (byte) (payloadType & 0x7F);
        Rtp.writeUint16(b, 2, seq & 0xFFFF);
        Rtp.writeUint32(b, 4, timestamp & 0xFFFFFFFFL);
        Rtp.writeUint32(b, 8, ssrc & 0xFFFFFFFFL);
        for (int i = 0; i < payloadLength; i++) {
            b[Rtp.FIXED_HEADER + i] = (byte) (i * 7 + 3);
        }
        p.setOffset(0);
        p.setLength(Rtp.FIXED_HEADER + payloadLength);
    }

    /** The publisher's microphone: Opus packets with {@code payloadLength} bytes of payload. */
    public ClientStream audioStream(int payloadLength) {
        return new ClientStream(publisherClient, publisher.publishTransport(), AUDIO_PT, AUDIO_SSRC, 960, payloadLength);
    }

    /** The publisher's camera: VP8 packets with {@code payloadLength} bytes of payload. */
    public ClientStream videoStream(int payloadLength) {
        return new ClientStream(publisherClient, publisher.publishTransport(), VIDEO_PT, VIDEO_SSRC, 3000, payloadLength);
    }

    /**
     * One RTP stream of the publisher's browser: each packet gets the next sequence number (so the
     * node's replay window passes it), is protected with the client's keys and, with
     * {@link #sendNext()}, handed to the publish transport as if it came off the socket. Reuses
     * one buffer; allocates nothing per packet itself.
     */
    public static final class ClientStream {
        private final SrtpSession client;
        private final PeerTransport transport;
        private final PacketBuffer packet = new PacketBuffer(PacketPool.BUFFER_SIZE);
        private final byte[] template;
        private final int ssrc;
        private final int timestampStep;
        private int seq;
        private long timestamp;

        ClientStream(SrtpSession client, PeerTransport transport, int payloadType, int ssrc, int timestampStep,
                     int payloadLength) {
            this.client = client;
            this.transport = transport;
            this.ssrc = ssrc;
            this.timestampStep = timestampStep;
            writeRtp(packet, payloadType, 0, 0, ssrc, payloadLength);
            this.template = Arrays.copyOf(packet.getBuffer(), packet.getLength());
            this.seq = new Random(ssrc).nextInt(0x10000);
            this.timestamp = 12345;
        }

        /** The next packet, protected; lent until the next call. */
        public PacketBuffer protectNext() {
            seq = (seq + 1) & 0xFFFF;
            timestamp += timestampStep;
            byte[] b = packet.getBuffer();
            System.arraycopy(template, 0, b, 0, template.length);
            Rtp.writeUint16(b, 2, seq);
            Rtp.writeUint32(b, 4, timestamp & 0xFFFFFFFFL);
            packet.setOffset(0);
            packet.setLength(template.length);
            SrtpResult r = client.protectRtp(packet);
            if (r != SrtpResult.OK) {
                throw new IllegalStateException("client protect failed: " + r);
            }
            return packet;
        }

        /**
         * Protects the next packet and delivers it to the node's publish transport, stamped with
         * the receive time as {@code UdpMediaHandler} stamps a datagram read from the socket.
         */
        public void sendNext() {
            PacketBuffer p = protectNext();
            p.setReceivedAtNanos(System.nanoTime());
            transport.onSrtp(p);
        }

        public int ssrc() {
            return ssrc;
        }

        /** Sequence number of the last packet made. */
        public int sequence() {
            return seq;
        }

        /** The plain packet the browser last sent: header then payload, before protection. */
        public byte[] lastPlain() {
            byte[] plain = template.clone();
            Rtp.writeUint16(plain, 2, seq);
            Rtp.writeUint32(plain, 4, timestamp & 0xFFFFFFFFL);
            return plain;
        }
    }

    // ---------------------------------------------------------------- SDP and keys

    /**
     * A minimal browser answer to a subscribe offer: per offered m-section the same kind, payload
     * type and mid, recvonly (inactive where the offer is), with ICE credentials and a sha-256
     * fingerprint in every section.
     */
    public static String answerFor(String offerSdp, Random random) throws SdpException {
        return answerFor(offerSdp, random, false);
    }

    /** As {@link #answerFor(String, Random)}; with {@code rtx} an offered rtx payload type is kept too. */
    public static String answerFor(String offerSdp, Random random, boolean rtx) throws SdpException {
        return answerFor(offerSdp, random, rtx, false);
    }

    /** As {@link #answerFor(String, Random, boolean)}; with {@code twcc} offered extmaps are kept. */
    public static String answerFor(String offerSdp, Random random, boolean rtx, boolean twcc) throws SdpException {
        SessionDescription offer = SessionDescription.parse(offerSdp);
        String ufrag = "rx" + Integer.toString(random.nextInt(1 << 20), 36);
        String pwd = "pw" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36) + "abcdefghij";
        String fingerprint = "sha-256 " + randomFingerprint(random);
        StringBuilder sb = new StringBuilder()
                .append("v=0\r\n")
                .append("o=- ").append(random.nextInt(1 << 30)).append(" 2 IN IP4 127.0.0.1\r\n")
                .append("s=-\r\n")
                .append("t=0 0\r\n")
                .append("a=group:BUNDLE");
        for (MediaSection m : offer.media()) {
            sb.append(' ').append(m.mid());
        }
        sb.append("\r\n");
        for (MediaSection m : offer.media()) {
            int pt = m.formats().isEmpty() ? 0 : m.formats().get(0);
            Integer rtxPt = !rtx ? null : m.rtpmaps().entrySet().stream()
                    .filter(e -> e.getValue().startsWith("rtx/")).map(Map.Entry::getKey).findFirst().orElse(null);
            sb.append("m=").append(m.kind()).append(" 9 UDP/TLS/RTP/SAVPF ").append(pt)
                    .append(rtxPt == null ? "" : " " + rtxPt).append("\r\n")
                    .append("c=IN IP4 0.0.0.0\r\n")
                    .append("a=ice-ufrag:").append(ufrag).append("\r\n")
                    .append("a=ice-pwd:").append(pwd).append("\r\n")
                    .append("a=fingerprint:").append(fingerprint).append("\r\n")
                    .append("a=setup:active\r\n")
                    .append("a=mid:").append(m.mid()).append("\r\n")
                    .append(m.direction().equals("inactive") ? "a=inactive\r\n" : "a=recvonly\r\n")
                    .append("a=rtcp-mux\r\n");
            if (twcc) {
                for (var e : m.extmaps().entrySet()) {
                    sb.append("a=extmap:").append(e.getKey()).append(' ').append(e.getValue()).append("\r\n");
                }
            }
            String rtpmap = m.rtpmaps().get(pt);
            if (rtpmap != null) {
                sb.append("a=rtpmap:").append(pt).append(' ').append(rtpmap).append("\r\n");
            }
            if (rtxPt != null) {
                sb.append("a=rtpmap:").append(rtxPt).append(' ').append(m.rtpmaps().get(rtxPt)).append("\r\n")
                        .append("a=fmtp:").append(rtxPt).append(" apt=").append(pt).append("\r\n");
            }
        }
        return sb.toString();
    }

    /** 32 random bytes as upper-case hex pairs separated by colons, as in a=fingerprint. */
    public static String randomFingerprint(Random random) {
        byte[] digest = new byte[32];
        random.nextBytes(digest);
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    }

    public static SrtpKeyingMaterial randomKeys(SrtpProfile profile, Random random) {
        return new SrtpKeyingMaterial(profile,
                bytes(random, profile.keyLength), bytes(random, profile.saltLength),
                bytes(random, profile.keyLength), bytes(random, profile.saltLength));
    }

    private static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** Ends the call and wipes every key; the fixture is unusable afterwards. */
    @Override
    public void close() {
        List<Participant> everyone = new ArrayList<>();
        for (Call c : manager.calls()) {
            everyone.addAll(c.participants());
        }
        for (Participant p : everyone) {
            manager.leave(p, "fixture closed");
        }
        publisherClient.close();
        receiverClients.forEach(SrtpSession::close);
        loop.shutdownNow();
    }

    // ---------------------------------------------------------------- collaborators

    /**
     * Counts what the node sends, per receiver (by address), and optionally keeps a copy of the
     * last packet each receiver was sent. Allocates nothing per packet. Stands in for
     * {@code UdpPacketSink}, whose Netty write is not part of what the fixture measures.
     */
    public static final class CountingSink implements PacketSink {
        private final long[] perReceiver;
        private final byte[][] last;
        private final int[] lastLength;
        private final byte[] lastPublisher = new byte[PacketPool.BUFFER_SIZE];
        private int lastPublisherLength;
        private long toReceivers;
        private long toPublisher;
        private long elsewhere;
        private long sentNow;
        private long flushes;
        private boolean capture;

        CountingSink(int receivers) {
            this.perReceiver = new long[receivers];
            this.last = new byte[receivers][PacketPool.BUFFER_SIZE];
            this.lastLength = new int[receivers];
        }

        @Override
        public void send(PacketBuffer packet, InetSocketAddress to) {
            int i = to == null ? -2 : to.getPort() - FIRST_RECEIVER_PORT;
            if (i >= 0 && i < perReceiver.length) {
                perReceiver[i]++;
                toReceivers++;
                if (capture) {
                    System.arraycopy(packet.getBuffer(), packet.getOffset(), last[i], 0, packet.getLength());
                    lastLength[i] = packet.getLength();
                }
            } else if (i == -1) {
                toPublisher++;
                if (capture) {
                    System.arraycopy(packet.getBuffer(), packet.getOffset(), lastPublisher, 0, packet.getLength());
                    lastPublisherLength = packet.getLength();
                }
            } else {
                elsewhere++;
            }
        }

        @Override
        public void sendNow(byte[] data, int off, int len, InetSocketAddress to) {
            sentNow++;
        }

        @Override
        public void flush() {
            flushes++;
        }

        /** Keep a copy of the last packet sent to each receiver and to the publisher (off by default). */
        public void capture(boolean on) {
            this.capture = on;
        }

        public void reset() {
            Arrays.fill(perReceiver, 0);
            toReceivers = 0;
            toPublisher = 0;
            elsewhere = 0;
            sentNow = 0;
            flushes = 0;
        }

        public long toReceiver(int i) {
            return perReceiver[i];
        }

        public long toReceivers() {
            return toReceivers;
        }

        /** Datagrams to the publisher's address: RTCP the node sends it (PLI, NACK, reports). */
        public long toPublisher() {
            return toPublisher;
        }

        public long elsewhere() {
            return elsewhere;
        }

        public long flushes() {
            return flushes;
        }

        /** A copy of the last packet sent to the publisher (with capture on). */
        public PacketBuffer lastToPublisher() {
            return new PacketBuffer(PacketPool.BUFFER_SIZE).set(lastPublisher, 0, lastPublisherLength);
        }

        /** Copies the last packet sent to receiver i into {@code into} (offset 0). */
        public void lastTo(int i, PacketBuffer into) {
            into.set(last[i], 0, lastLength[i]);
        }
    }

    /** The signalling connection of a fixture participant: keeps what the node sent it. */
    public static final class RecordingPeer implements SignalPeer {
        private final String name;
        private final List<ServerMessage> messages = new ArrayList<>();
        private boolean closed;

        public RecordingPeer(String name) {
            this.name = name;
        }

        @Override
        public void send(ServerMessage message) {
            messages.add(message);
        }

        @Override
        public void close() {
            closed = true;
        }

        @Override
        public String remoteAddress() {
            return name;
        }

        public List<ServerMessage> messages() {
            return messages;
        }

        public boolean closed() {
            return closed;
        }

        public void clear() {
            messages.clear();
        }

        /** The last message, which must be a {@code type}; an {@link ErrorMessage} fails with its text. */
        public <T extends ServerMessage> T expectLast(Class<T> type) {
            if (messages.isEmpty()) {
                throw new IllegalStateException(name + ": no message, expected " + type.getSimpleName());
            }
            ServerMessage m = messages.getLast();
            if (!type.isInstance(m)) {
                throw new IllegalStateException(name + ": expected " + type.getSimpleName() + ", got " + m);
            }
            return type.cast(m);
        }
    }

    private static final class NoRegistry implements TransportRegistry {
        @Override
        public void register(PeerTransport transport) {
        }

        @Override
        public void bindAddress(PeerTransport transport, InetSocketAddress old, InetSocketAddress now) {
        }

        @Override
        public void unregister(PeerTransport transport, InetSocketAddress address) {
        }
    }
}
