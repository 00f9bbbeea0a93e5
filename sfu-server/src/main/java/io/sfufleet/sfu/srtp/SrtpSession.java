package io.sfufleet.sfu.srtp;

import io.netty.util.collection.IntObjectHashMap;
import io.sfufleet.sfu.rtp.PacketBuffer;
import java.util.Objects;

/**
 * SRTP and SRTCP for one DTLS-SRTP association (RFC 3711, RFC 7714 for AES-GCM). Every method works
 * in place on a {@link PacketBuffer}: protect appends the trailer (tag, and for SRTCP the E flag
 * and index) after the packet, so the buffer needs that much room past its length; unprotect
 * shortens the packet.
 *
 * <p>The session keys do not depend on the SSRC, so each direction derives them once
 * ({@link SrtpCrypto}) and keeps its AES, GHASH and HMAC state preallocated; per SSRC there is only
 * a small {@link SrtpStream} (ROC, replay window, SRTCP index), kept in {@link IntObjectHashMap}s so
 * the look-up does not box. After the first packet of an SSRC nothing is allocated per packet (see
 * {@code SrtpAllocationTest} and {@code SrtpBenchmark}). This replaced jitsi-srtp, which made a
 * {@code Cipher.init} and short-lived arrays per packet; its old wrapper is kept in the tests as the
 * interop reference.
 *
 * <p>Receive streams enforce the replay window (RFC 3711 section 3.3.2, 64 packets). A receive
 * stream is only kept once a packet of its SSRC has authenticated, so packets with forged SSRCs
 * leave no state behind; at most {@link #MAX_RECEIVE_STREAMS} SSRCs are kept per direction. The
 * send side does no replay check: an SFU protects a sequence number twice on purpose when it answers
 * a NACK without RTX, and the same input gives the same output, so nothing leaks.
 *
 * <p>Not thread-safe: a session belongs to the one thread that runs its media loop. Failures never
 * throw: they come back as an {@link SrtpResult} and are counted ({@link #count}).
 */
public final class SrtpSession implements AutoCloseable {
    /**
     * SSRCs a peer may send on, per RTP and per RTCP. A browser uses about ten (audio, three
     * simulcast layers and their RTX, probing); the cap bounds memory if a peer that holds the keys
     * keeps inventing SSRCs.
     */
    public static final int MAX_RECEIVE_STREAMS = 64;

    /**
     * Whether AES runs in OpenSSL's libcrypto (the fast path; Debian's libssl3 provides it) or in
     * the portable Java transforms; {@code -Dsfu.srtp.noOpenSsl=true} forces the latter.
     */
    public static final boolean OPEN_SSL = OpenSslAes.AVAILABLE;

    static {
        if (!OPEN_SSL) {
            System.getLogger(SrtpSession.class.getName()).log(System.Logger.Level.WARNING,
                    "SRTP runs AES in Java, several times slower than with OpenSSL: " + OpenSslAes.unavailableReason()
                            + ". Install OpenSSL 3's libcrypto (Debian: libssl3) for the fast path.");
        }
    }

    /** RFC 3550 section 5.1: V, P, X, CC, M, PT, sequence number, timestamp, SSRC. */
    private static final int RTP_FIXED_HEADER = 12;
    /** RFC 3550 section 6.4: V, P, count, PT, length, then the sender's SSRC. */
    private static final int RTCP_FIXED_HEADER = 8;

    private final SrtpProfile profile;
    private final int tagLength;
    private SrtpCrypto send;
    private SrtpCrypto receive;
    private final IntObjectHashMap<SrtpStream> rtpOut = new IntObjectHashMap<>();
    private final IntObjectHashMap<SrtpStream> rtpIn = new IntObjectHashMap<>();
    private final IntObjectHashMap<SrtpStream> rtcpOut = new IntObjectHashMap<>();
    private final IntObjectHashMap<SrtpStream> rtcpIn = new IntObjectHashMap<>();
    /** State for an SSRC not seen yet, kept only if its first packet authenticates. */
    private SrtpStream candidate = new SrtpStream();
    private final long[] counts = new long[SrtpResult.values().length];
    private boolean closed;

    /**
     * @param keys the exporter output of the DTLS handshake
     * @param weAreDtlsServer whether this side was the DTLS server: it then protects with the
     *     server's key and salt and unprotects with the client's; a DTLS client does the opposite
     */
    public SrtpSession(SrtpKeyingMaterial keys, boolean weAreDtlsServer) {
        this(keys, weAreDtlsServer, OPEN_SSL);
    }

    /** As {@link #SrtpSession(SrtpKeyingMaterial, boolean)}, choosing OpenSSL or the Java transforms (tests). */
    SrtpSession(SrtpKeyingMaterial keys, boolean weAreDtlsServer, boolean openSsl) {
        Objects.requireNonNull(keys, "keys");
        this.profile = keys.profile();
        this.send = SrtpCrypto.create(profile, weAreDtlsServer ? keys.serverKey() : keys.clientKey(),
                weAreDtlsServer ? keys.serverSalt() : keys.clientSalt(), openSsl);
        this.receive = SrtpCrypto.create(profile, weAreDtlsServer ? keys.clientKey() : keys.serverKey(),
                weAreDtlsServer ? keys.clientSalt() : keys.serverSalt(), openSsl);
        this.tagLength = send.tagLength;
    }

    public SrtpProfile profile() {
        return profile;
    }

    /** Encrypts and authenticates an RTP packet in place; it grows by the tag (10 or 16 bytes). */
    public SrtpResult protectRtp(PacketBuffer packet) {
        if (closed) {
            return counted(SrtpResult.CLOSED);
        }
        byte[] buf = packet.getBuffer();
        int off = packet.getOffset();
        int len = packet.getLength();
        int header = rtpHeaderLength(buf, off, len, 0);
        if (header < 0 || room(packet) < tagLength || len > AesCounterMode.MAX_BYTES - 16) {
            return counted(SrtpResult.INVALID);
        }
        int ssrc = readInt(buf, off + 8);
        SrtpStream stream = rtpOut.get(ssrc);
        if (stream == null) {
            stream = new SrtpStream();
            rtpOut.put(ssrc, stream);
        }
        long index = stream.rtpIndex(readShort(buf, off + 2));
        if (index < 0) {
            // A sequence number from before this stream's first packet, across a wrap: its ROC
            // would be -1, which SRTP cannot express.
            return counted(SrtpResult.INVALID);
        }
        packet.setLength(send.protectRtp(buf, off, len, header, ssrc, index));
        stream.accept(index);
        return counted(SrtpResult.OK);
    }

    /**
     * Authenticates, replay-checks and decrypts an SRTP packet in place. On anything but OK the
     * packet must be dropped.
     */
    public SrtpResult unprotectRtp(PacketBuffer packet) {
        if (closed) {
            return counted(SrtpResult.CLOSED);
        }
        byte[] buf = packet.getBuffer();
        int off = packet.getOffset();
        int len = packet.getLength();
        int header = rtpHeaderLength(buf, off, len, tagLength);
        if (header < 0 || len > AesCounterMode.MAX_BYTES - 16) {
            return counted(SrtpResult.INVALID);
        }
        int ssrc = readInt(buf, off + 8);
        SrtpStream stream = rtpIn.get(ssrc);
        boolean fresh = stream == null;
        if (fresh) {
            if (rtpIn.size() >= MAX_RECEIVE_STREAMS) {
                return counted(SrtpResult.INVALID);
            }
            stream = candidate;
            stream.reset();
        }
        long index = stream.rtpIndex(readShort(buf, off + 2));
        if (stream.replayed(index)) {
            return counted(SrtpResult.REPLAY);
        }
        int plain = receive.unprotectRtp(buf, off, len, header, ssrc, index);
        if (plain < 0) {
            return counted(SrtpResult.AUTH_FAIL);
        }
        packet.setLength(plain);
        stream.accept(index);
        if (fresh) {
            rtpIn.put(ssrc, stream);
            candidate = new SrtpStream();
        }
        return counted(SrtpResult.OK);
    }

    /**
     * Encrypts and authenticates a (compound) RTCP packet in place; it grows by the E flag and
     * SRTCP index (4 bytes) and the tag.
     */
    public SrtpResult protectRtcp(PacketBuffer packet) {
        if (closed) {
            return counted(SrtpResult.CLOSED);
        }
        byte[] buf = packet.getBuffer();
        int off = packet.getOffset();
        int len = packet.getLength();
        if (!isRtcp(buf, off, len, 0) || room(packet) < SrtpCrypto.SRTCP_INDEX_LENGTH + tagLength
                || len > AesCounterMode.MAX_BYTES - 16) {
            return counted(SrtpResult.INVALID);
        }
        int ssrc = readInt(buf, off + 4);
        SrtpStream stream = rtcpOut.get(ssrc);
        if (stream == null) {
            stream = new SrtpStream();
            rtcpOut.put(ssrc, stream);
        }
        packet.setLength(send.protectRtcp(buf, off, len, ssrc, stream.nextRtcpIndex()));
        return counted(SrtpResult.OK);
    }

    /** Authenticates, replay-checks and decrypts an SRTCP packet in place. */
    public SrtpResult unprotectRtcp(PacketBuffer packet) {
        if (closed) {
            return counted(SrtpResult.CLOSED);
        }
        byte[] buf = packet.getBuffer();
        int off = packet.getOffset();
        int len = packet.getLength();
        if (!isRtcp(buf, off, len, SrtpCrypto.SRTCP_INDEX_LENGTH + tagLength) || len > AesCounterMode.MAX_BYTES - 16) {
            return counted(SrtpResult.INVALID);
        }
        int ssrc = readInt(buf, off + 4);
        SrtpStream stream = rtcpIn.get(ssrc);
        boolean fresh = stream == null;
        if (fresh) {
            if (rtcpIn.size() >= MAX_RECEIVE_STREAMS) {
                return counted(SrtpResult.INVALID);
            }
            stream = candidate;
            stream.reset();
        }
        int eIndex = readInt(buf, off + receive.srtcpIndexOffset(len));
        long index = eIndex & 0x7FFF_FFFFL;
        if (stream.replayed(index)) {
            return counted(SrtpResult.REPLAY);
        }
        int plain = receive.unprotectRtcp(buf, off, len, ssrc, eIndex);
        if (plain < 0) {
            return counted(SrtpResult.AUTH_FAIL);
        }
        packet.setLength(plain);
        stream.accept(index);
        if (fresh) {
            rtcpIn.put(ssrc, stream);
            candidate = new SrtpStream();
        }
        return counted(SrtpResult.OK);
    }

    /** How many calls ended with {@code result} since the session was made. */
    public long count(SrtpResult result) {
        return counts[result.ordinal()];
    }

    /** SSRCs with a receive context (RTP plus RTCP); for tests and metrics. */
    public int receiveStreams() {
        return rtpIn.size() + rtcpIn.size();
    }

    /**
     * Drops the session keys and every stream; later calls answer {@link SrtpResult#CLOSED}. The
     * keys were only ever in this session's own arrays (and the JDK's key schedules, which become
     * unreachable with them).
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        send.close();
        receive.close();
        send = null;
        receive = null;
        rtpOut.clear();
        rtpIn.clear();
        rtcpOut.clear();
        rtcpIn.clear();
    }

    private SrtpResult counted(SrtpResult result) {
        counts[result.ordinal()]++;
        return result;
    }

    private static int room(PacketBuffer packet) {
        return packet.capacity() - packet.getOffset() - packet.getLength();
    }

    /** Whether {@code len} bytes hold an RTP header and {@code trailer} bytes after it. */
    static boolean isRtp(byte[] buf, int off, int len, int trailer) {
        return rtpHeaderLength(buf, off, len, trailer) >= 0;
    }

    /**
     * The length of the RTP version 2 header with its CSRCs and header extension (RFC 3550 section
     * 5.3.1), or -1 if {@code len} bytes do not hold it plus {@code trailer} bytes after it.
     */
    static int rtpHeaderLength(byte[] buf, int off, int len, int trailer) {
        int limit = len - trailer;
        if (limit < RTP_FIXED_HEADER || (buf[off] & 0xC0) != 0x80) {
            return -1;
        }
        int header = RTP_FIXED_HEADER + 4 * (buf[off] & 0x0F);
        if ((buf[off] & 0x10) != 0) {
            if (header + 4 > limit) {
                return -1;
            }
            int words = ((buf[off + header + 2] & 0xFF) << 8) | (buf[off + header + 3] & 0xFF);
            header += 4 + 4 * words;
        }
        return header <= limit ? header : -1;
    }

    /** Whether {@code len} bytes start with an RTCP version 2 header, with {@code trailer} bytes after it. */
    static boolean isRtcp(byte[] buf, int off, int len, int trailer) {
        return len - trailer >= RTCP_FIXED_HEADER && (buf[off] & 0xC0) == 0x80;
    }

    private static int readShort(byte[] b, int i) {
        return (b[i] & 0xFF) << 8 | (b[i + 1] & 0xFF);
    }

    private static int readInt(byte[] b, int i) {
        return (b[i] & 0xFF) << 24 | (b[i + 1] & 0xFF) << 16 | (b[i + 2] & 0xFF) << 8 | (b[i + 3] & 0xFF);
    }
}
