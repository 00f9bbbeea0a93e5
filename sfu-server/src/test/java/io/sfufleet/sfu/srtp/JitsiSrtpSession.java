package io.sfufleet.sfu.srtp;

import io.netty.util.collection.IntObjectHashMap;
import io.sfufleet.sfu.rtp.PacketBuffer;
import java.security.GeneralSecurityException;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.srtp.SrtpPolicy;
import org.jitsi.srtp.crypto.Aes;
import org.jitsi.utils.logging2.Logger;
import org.jitsi.utils.logging2.LoggerImpl;

/**
 * The reference for the interop tests and the before/after benchmark: the node's SRTP session as it
 * was on jitsi-srtp 1.1 (OpenSSL through JNI) before {@link SrtpSession} got its own transforms,
 * with the same API. Kept in the tests only.
 *
 * <p>Original description: SRTP and SRTCP for one DTLS-SRTP association, on jitsi-srtp. Every method works in place on a
 * {@link PacketBuffer}: protect appends the trailer (tag, and for SRTCP the E flag and index) after
 * the packet, so the buffer needs that much room past its length; unprotect shortens the packet.
 *
 * <p>Crypto contexts are kept per SSRC and made on first use, in {@link IntObjectHashMap}s so the
 * per-packet lookup does not box. After the first packet of an SSRC nothing is allocated per packet
 * by this class (see {@code the allocation tests} and {@code SrtpBenchmark} for what jitsi-srtp does).
 *
 * <p>Receive contexts enforce the replay window (RFC 3711 section 3.3.2, 64 packets in jitsi-srtp).
 * A receive context is only kept once a packet of its SSRC has authenticated, so packets with forged
 * SSRCs leave no state behind; at most {@link #MAX_RECEIVE_STREAMS} SSRCs are kept per direction.
 *
 * <p>Not thread-safe: a session belongs to the one thread that runs its media loop (jitsi's contexts
 * are synchronized, but the context maps and counters here are not). Failures never throw: they come
 * back as an {@link SrtpResult} and are counted ({@link #count}); exceptions from the crypto provider
 * are also logged, at most once every ten seconds.
 */
public final class JitsiSrtpSession implements AutoCloseable {
    /**
     * SSRCs a peer may send on, per RTP and per RTCP. A browser uses about ten (audio, three
     * simulcast layers and their RTX, probing); the cap bounds memory if a peer that holds the keys
     * keeps inventing SSRCs.
     */
    public static final int MAX_RECEIVE_STREAMS = 64;

    /**
     * System property naming the AES implementation jitsi-srtp should use: {@code OpenSSL} (the
     * default), {@code SunJCE} or {@code BouncyCastle}; empty lets jitsi-srtp time them and pick.
     */
    public static final String AES_PROPERTY = "sfu.srtp.aes";

    private static final System.Logger LOG = System.getLogger(JitsiSrtpSession.class.getName());
    private static final long LOG_INTERVAL_NANOS = 10_000_000_000L;

    static {
        // jitsi-srtp otherwise picks an AES implementation per mode by timing a handful of 1250-byte
        // operations once per process, and on this hardware that vote flips between OpenSSL and
        // SunJCE from run to run. SunJCE copies the whole packet on every in-place doFinal (about
        // 1.2 KB of garbage per 1200-byte packet); OpenSSL works in place. Naming a factory makes
        // jitsi take it without the vote, and it still falls back to the vote if OpenSSL did not
        // load. The choice is process-wide and fixed at the first cipher jitsi-srtp creates.
        String aes = System.getProperty(AES_PROPERTY, "OpenSSL");
        if (!aes.isBlank()) {
            Aes.setFactoryClassName(aes);
        }
    }

    /** RFC 3550 section 5.1: V, P, X, CC, M, PT, sequence number, timestamp, SSRC. */
    private static final int RTP_FIXED_HEADER = 12;
    /** RFC 3550 section 6.4: V, P, count, PT, length, then the sender's SSRC. */
    private static final int RTCP_FIXED_HEADER = 8;
    /** RFC 3711 section 3.4: the E flag and 31-bit SRTCP index every SRTCP packet carries. */
    private static final int SRTCP_INDEX_LENGTH = 4;

    private final SrtpProfile profile;
    private final int tagLength;
    private final SrtpContextFactory protectFactory;
    private final SrtpContextFactory unprotectFactory;
    private final IntObjectHashMap<SrtpCryptoContext> rtpOut = new IntObjectHashMap<>();
    private final IntObjectHashMap<SrtpCryptoContext> rtpIn = new IntObjectHashMap<>();
    private final IntObjectHashMap<SrtcpCryptoContext> rtcpOut = new IntObjectHashMap<>();
    private final IntObjectHashMap<SrtcpCryptoContext> rtcpIn = new IntObjectHashMap<>();
    private final long[] counts = new long[SrtpResult.values().length];
    private long lastLogNanos;
    private boolean closed;

    /**
     * @param keys the exporter output of the DTLS handshake
     * @param weAreDtlsServer whether this side was the DTLS server: it then protects with the
     *     server's key and salt and unprotects with the client's; a DTLS client does the opposite
     */
    public JitsiSrtpSession(SrtpKeyingMaterial keys, boolean weAreDtlsServer) {
        this(keys, weAreDtlsServer, new LoggerImpl(JitsiSrtpSession.class.getName()));
    }

    /** As {@link #JitsiSrtpSession(SrtpKeyingMaterial, boolean)}, with the logger jitsi-srtp writes to. */
    public JitsiSrtpSession(SrtpKeyingMaterial keys, boolean weAreDtlsServer, Logger jitsiLogger) {
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(jitsiLogger, "jitsiLogger");
        this.profile = keys.profile();
        this.tagLength = policy(profile).getAuthTagLength();
        byte[] sendKey = weAreDtlsServer ? keys.serverKey() : keys.clientKey();
        byte[] sendSalt = weAreDtlsServer ? keys.serverSalt() : keys.clientSalt();
        byte[] receiveKey = weAreDtlsServer ? keys.clientKey() : keys.serverKey();
        byte[] receiveSalt = weAreDtlsServer ? keys.clientSalt() : keys.serverSalt();
        // The factories copy the key and salt, so close() can wipe them without touching the caller's.
        this.protectFactory = new SrtpContextFactory(true, sendKey, sendSalt,
                policy(profile), policy(profile), jitsiLogger);
        this.unprotectFactory = new SrtpContextFactory(false, receiveKey, receiveSalt,
                policy(profile), policy(profile), jitsiLogger);
        this.lastLogNanos = System.nanoTime() - LOG_INTERVAL_NANOS;
    }

    /**
     * The jitsi-srtp policy of a profile (RFC 5764 section 4.1.2, RFC 7714 section 14.2). A new
     * object each time because SrtpPolicy is mutable.
     */
    static SrtpPolicy policy(SrtpProfile profile) {
        SrtpPolicy p = switch (profile) {
            case AES128_CM_HMAC_SHA1_80 -> new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, profile.keyLength,
                    SrtpPolicy.HMACSHA1_AUTHENTICATION, 20, 10, profile.saltLength);
            // GCM authenticates itself: no HMAC, and the 16-byte GCM tag is the auth tag.
            case AEAD_AES_128_GCM -> new SrtpPolicy(SrtpPolicy.AESGCM_ENCRYPTION, profile.keyLength,
                    SrtpPolicy.NULL_AUTHENTICATION, 0, 16, profile.saltLength);
        };
        // jitsi's send-side replay check would refuse to protect a sequence number twice, but an SFU
        // does that on purpose when it answers a NACK without RTX; same input gives the same output,
        // so nothing leaks.
        p.setSendReplayEnabled(false);
        p.setReceiveReplayEnabled(true);
        return p;
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
        if (!isRtp(buf, off, packet.getLength(), 0) || room(packet) < tagLength) {
            return counted(SrtpResult.INVALID);
        }
        int ssrc = readInt(buf, off + 8);
        try {
            SrtpCryptoContext context = rtpOut.get(ssrc);
            if (context == null) {
                context = protectFactory.deriveContext(ssrc, 0);
                rtpOut.put(ssrc, context);
            }
            return counted(map(context.transformPacket(packet)));
        } catch (GeneralSecurityException | RuntimeException e) {
            return failed(SrtpResult.FAIL, "protect RTP", ssrc, e);
        }
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
        if (!isRtp(buf, off, packet.getLength(), tagLength)) {
            return counted(SrtpResult.INVALID);
        }
        int ssrc = readInt(buf, off + 8);
        try {
            SrtpCryptoContext context = rtpIn.get(ssrc);
            boolean fresh = context == null;
            if (fresh) {
                if (rtpIn.size() >= MAX_RECEIVE_STREAMS) {
                    return counted(SrtpResult.INVALID);
                }
                context = unprotectFactory.deriveContext(ssrc, 0);
            }
            SrtpResult result = map(context.reverseTransformPacket(packet, false));
            if (fresh && result == SrtpResult.OK) {
                rtpIn.put(ssrc, context);
            }
            return counted(result);
        } catch (AEADBadTagException e) {
            return counted(SrtpResult.AUTH_FAIL);
        } catch (GeneralSecurityException e) {
            return failed(SrtpResult.FAIL, "unprotect RTP", ssrc, e);
        } catch (RuntimeException e) {
            // Our header checks should leave nothing for jitsi to trip over; if it does, the input
            // was still the peer's, so it is a malformed packet and not a reason to unwind the loop.
            return failed(SrtpResult.INVALID, "unprotect RTP", ssrc, e);
        }
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
        if (!isRtcp(buf, off, packet.getLength(), 0) || room(packet) < SRTCP_INDEX_LENGTH + tagLength) {
            return counted(SrtpResult.INVALID);
        }
        int ssrc = readInt(buf, off + 4);
        try {
            SrtcpCryptoContext context = rtcpOut.get(ssrc);
            if (context == null) {
                context = protectFactory.deriveControlContext(ssrc);
                rtcpOut.put(ssrc, context);
            }
            return counted(map(context.transformPacket(packet)));
        } catch (GeneralSecurityException | RuntimeException e) {
            return failed(SrtpResult.FAIL, "protect RTCP", ssrc, e);
        }
    }

    /** Authenticates, replay-checks and decrypts an SRTCP packet in place. */
    public SrtpResult unprotectRtcp(PacketBuffer packet) {
        if (closed) {
            return counted(SrtpResult.CLOSED);
        }
        byte[] buf = packet.getBuffer();
        int off = packet.getOffset();
        if (!isRtcp(buf, off, packet.getLength(), SRTCP_INDEX_LENGTH + tagLength)) {
            return counted(SrtpResult.INVALID);
        }
        int ssrc = readInt(buf, off + 4);
        try {
            SrtcpCryptoContext context = rtcpIn.get(ssrc);
            boolean fresh = context == null;
            if (fresh) {
                if (rtcpIn.size() >= MAX_RECEIVE_STREAMS) {
                    return counted(SrtpResult.INVALID);
                }
                context = unprotectFactory.deriveControlContext(ssrc);
            }
            SrtpResult result = map(context.reverseTransformPacket(packet));
            if (fresh && result == SrtpResult.OK) {
                rtcpIn.put(ssrc, context);
            }
            return counted(result);
        } catch (AEADBadTagException e) {
            return counted(SrtpResult.AUTH_FAIL);
        } catch (GeneralSecurityException e) {
            return failed(SrtpResult.FAIL, "unprotect RTCP", ssrc, e);
        } catch (RuntimeException e) {
            return failed(SrtpResult.INVALID, "unprotect RTCP", ssrc, e);
        }
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
     * Wipes the master keys and drops every context. jitsi-srtp 1.1 contexts have no close of their
     * own: their native OpenSSL cipher contexts are freed by a Cleaner once unreachable.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        protectFactory.close();
        unprotectFactory.close();
        rtpOut.clear();
        rtpIn.clear();
        rtcpOut.clear();
        rtcpIn.clear();
    }

    private static SrtpResult map(SrtpErrorStatus status) {
        return switch (status) {
            case OK -> SrtpResult.OK;
            case AUTH_FAIL -> SrtpResult.AUTH_FAIL;
            case REPLAY_FAIL, REPLAY_OLD -> SrtpResult.REPLAY;
            case INVALID_PACKET -> SrtpResult.INVALID;
            case FAIL -> SrtpResult.FAIL;
        };
    }

    private SrtpResult counted(SrtpResult result) {
        counts[result.ordinal()]++;
        return result;
    }

    private SrtpResult failed(SrtpResult result, String what, int ssrc, Exception e) {
        counts[result.ordinal()]++;
        long now = System.nanoTime();
        if (now - lastLogNanos >= LOG_INTERVAL_NANOS) {
            lastLogNanos = now;
            LOG.log(System.Logger.Level.WARNING, () -> what + " failed for SSRC " + Integer.toUnsignedString(ssrc)
                    + " (" + profile + "): " + result + "; " + counts[result.ordinal()] + " so far", e);
        }
        return result;
    }

    private static int room(PacketBuffer packet) {
        return packet.capacity() - packet.getOffset() - packet.getLength();
    }

    /**
     * Whether {@code len} bytes hold an RTP version 2 header, its CSRCs and header extension, plus
     * {@code trailer} bytes after it (RFC 3550 section 5.3.1). jitsi-srtp reads these fields
     * without bounds checks.
     */
    static boolean isRtp(byte[] buf, int off, int len, int trailer) {
        int limit = len - trailer;
        if (limit < RTP_FIXED_HEADER || (buf[off] & 0xC0) != 0x80) {
            return false;
        }
        int header = RTP_FIXED_HEADER + 4 * (buf[off] & 0x0F);
        if ((buf[off] & 0x10) != 0) {
            if (header + 4 > limit) {
                return false;
            }
            int words = ((buf[off + header + 2] & 0xFF) << 8) | (buf[off + header + 3] & 0xFF);
            header += 4 + 4 * words;
        }
        return header <= limit;
    }

    /** Whether {@code len} bytes start with an RTCP version 2 header, with {@code trailer} bytes after it. */
    static boolean isRtcp(byte[] buf, int off, int len, int trailer) {
        return len - trailer >= RTCP_FIXED_HEADER && (buf[off] & 0xC0) == 0x80;
    }

    private static int readInt(byte[] b, int i) {
        return (b[i] & 0xFF) << 24 | (b[i + 1] & 0xFF) << 16 | (b[i + 2] & 0xFF) << 8 | (b[i + 3] & 0xFF);
    }
}
