package io.sfufleet.sfu.loadtest.media;

import io.sfufleet.sfu.rtp.PacketBuffer;
import io.sfufleet.sfu.rtp.Rtp;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One synthetic source: every call to {@link #sendFrame} packetizes one frame of its
 * {@link MediaProfile} into RTP packets (Opus: one; VP8: as many as the frame needs, marker on the
 * last, a VP8 payload descriptor and frame header as an encoder writes them) and hands each to the
 * {@link Output}, which encrypts it in place and sends it. The packet buffer is reused, so a frame
 * allocates nothing.
 *
 * <p>Driven by one thread at a time (the client's media timer); {@link #requestKeyframe} may be
 * called from any thread. Counters are read by other threads, so they are volatile.
 */
public final class RtpStreamSender {
    /** Where packets go: protects in place and sends; false when the packet could not be sent. */
    @FunctionalInterface
    public interface Output {
        boolean send(PacketBuffer packet);
    }

    /** Room for the largest packet plus the SRTP tag (16 bytes with GCM). */
    private static final int BUFFER = 1_500;
    private static final int VP8_FRAME_HEADER = 10;
    /**
     * The a=extmap id of the RFC 6464 audio level in the clients' offers ({@code ClientSdp}). Audio
     * carries it as browsers do, so a server ranks speakers from the clear header (top-N audio).
     */
    public static final int AUDIO_LEVEL_EXTENSION_ID = 1;
    /** -30 dBov with the voice bit: a talker at a normal level (RFC 6464; 127 would be silence). */
    static final int SPEAKING_LEVEL = 30;
    /** The RFC 8285 one-byte header: 0xBEDE, one 32-bit word, then id/length, the level and padding. */
    private static final int AUDIO_LEVEL_HEADER = 8;

    private final MediaProfile profile;
    private final int ssrc;
    private final int payloadType;
    private final Output output;
    private final PacketBuffer packet = new PacketBuffer(BUFFER);
    private final int timestampStep;
    private int sequence = ThreadLocalRandom.current().nextInt(0x10000);
    private long rtpTimestamp = ThreadLocalRandom.current().nextInt() & 0xFFFFFFFFL;
    /** The RTP timestamp of the last frame sent and when it was sent, for sender reports (other threads read them). */
    private volatile long lastFrameTimestamp = -1;
    private volatile long lastFrameNanos;
    private volatile boolean keyframeWanted = true;
    private volatile long packetsSent;
    private volatile long bytesSent;
    private volatile long keyframesSent;
    private volatile long sendFailures;

    public RtpStreamSender(MediaProfile profile, int ssrc, int payloadType, Output output) {
        this.profile = profile;
        this.ssrc = ssrc;
        this.payloadType = payloadType;
        this.output = output;
        this.timestampStep = profile.clockRate / profile.framesPerSecond;
    }

    public MediaProfile profile() {
        return profile;
    }

    public int ssrc() {
        return ssrc;
    }

    /** A receiver asked for a keyframe (PLI or FIR): the next frame is one. */
    public void requestKeyframe() {
        keyframeWanted = true;
    }

    /** Packetizes and sends one frame. */
    public void sendFrame() {
        if (profile == MediaProfile.AUDIO) {
            sendPacket(profile.deltaFrameBytes, false, true, false);
        } else {
            boolean key = keyframeWanted;
            keyframeWanted = false;
            int frameBytes = key ? profile.keyframeBytes : profile.deltaFrameBytes;
            boolean first = true;
            while (frameBytes > 0) {
                int payload = Math.min(frameBytes, MediaProfile.MAX_PAYLOAD);
                frameBytes -= payload;
                sendPacket(payload, first, frameBytes == 0, key);
                first = false;
            }
            if (key) {
                keyframesSent++;
            }
        }
        lastFrameNanos = System.nanoTime();
        lastFrameTimestamp = rtpTimestamp;
        rtpTimestamp = (rtpTimestamp + timestampStep) & 0xFFFFFFFFL;
    }

    /**
     * The RTP timestamp that corresponds to {@code nowNanos} (the last frame's, advanced by the
     * time since at the clock rate), for a sender report; -1 before the first frame.
     */
    public long rtpTimestampAt(long nowNanos) {
        long ts = lastFrameTimestamp;
        if (ts < 0) {
            return -1;
        }
        long elapsed = Math.max(0, nowNanos - lastFrameNanos);
        return (ts + elapsed * profile.clockRate / 1_000_000_000L) & 0xFFFFFFFFL;
    }

    private void sendPacket(int payloadBytes, boolean firstOfFrame, boolean marker, boolean key) {
        byte[] b = packet.getBuffer();
        int payloadLength = Math.max(payloadBytes, SendTimestamp.LENGTH + 1 + VP8_FRAME_HEADER);
        boolean audio = profile == MediaProfile.AUDIO;
        b[0] = (byte) (audio ? 0x90 : 0x80); // X set: audio carries the audio level extension
        b[1] = (byte) ((marker && !audio ? 0x80 : 0) | payloadType);
        Rtp.writeUint16(b, 2, sequence);
        Rtp.writeUint32(b, 4, rtpTimestamp);
        Rtp.writeUint32(b, 8, ssrc & 0xFFFFFFFFL);
        int p = Rtp.FIXED_HEADER;
        if (audio) {
            Rtp.writeUint16(b, p, 0xBEDE);
            Rtp.writeUint16(b, p + 2, 1);
            b[p + 4] = (byte) (AUDIO_LEVEL_EXTENSION_ID << 4); // one byte of data (length - 1 = 0)
            b[p + 5] = (byte) (0x80 | SPEAKING_LEVEL);
            b[p + 6] = 0;
            b[p + 7] = 0;
            p += AUDIO_LEVEL_HEADER;
        }
        int end = p + payloadLength;
        if (profile != MediaProfile.AUDIO) {
            // RFC 7741 section 4.2: payload descriptor, S bit on a frame's first packet.
            b[p] = (byte) (firstOfFrame ? 0x10 : 0x00);
            if (firstOfFrame) {
                // RFC 6386 section 9.1: frame tag (bit 0 clear = keyframe, show_frame set), size,
                // then for a keyframe the start code and 640x360.
                b[p + 1] = (byte) (key ? 0x10 : 0x11);
                b[p + 2] = 0;
                b[p + 3] = 0;
                b[p + 4] = (byte) 0x9d;
                b[p + 5] = 0x01;
                b[p + 6] = 0x2a;
                b[p + 7] = (byte) 0x80;
                b[p + 8] = 0x02;
                b[p + 9] = 0x68;
                b[p + 10] = 0x01;
            }
        } else {
            b[p] = (byte) 0xFC; // an Opus TOC byte: CELT fullband, 20 ms, one frame
        }
        packet.setOffset(0);
        packet.setLength(end);
        SendTimestamp.write(b, end, System.nanoTime());
        sequence = (sequence + 1) & 0xFFFF;
        if (output.send(packet)) {
            packetsSent++;
            bytesSent += end;
        } else {
            sendFailures++;
        }
    }

    public long packetsSent() {
        return packetsSent;
    }

    /** RTP bytes (header and payload, before SRTP) sent. */
    public long bytesSent() {
        return bytesSent;
    }

    public long keyframesSent() {
        return keyframesSent;
    }

    public long sendFailures() {
        return sendFailures;
    }
}
