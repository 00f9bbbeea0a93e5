package io.sfufleet.sfu.simulcast;

import io.sfufleet.sfu.rtp.Rtp;

/**
 * Whether an RTP packet starts a VP8 keyframe (RFC 7741): the payload descriptor's S bit set with
 * partition index 0, and the inverse key frame flag (bit 0 of the VP8 payload header's first
 * byte) clear. A switch between simulcast layers may only happen here: the receiver's decoder
 * cannot use a delta frame of a stream it has no reference for. Static, no allocation; a
 * truncated packet is "not a keyframe".
 */
public final class Vp8Keyframe {
    private Vp8Keyframe() {
    }

    public static boolean isKeyframeStart(byte[] b, int off, int len) {
        return payloadHeader(b, off, len) >= 0;
    }

    /**
     * The frame height of a keyframe's first packet (RFC 6386 section 9.1: after the 3-byte frame
     * tag, the start code 9d 01 2a, 14-bit width and height), or -1 if this is not one or it is
     * truncated. Tells the node which simulcast layer is how tall without asking the client.
     */
    public static int height(byte[] b, int off, int len) {
        int p = payloadHeader(b, off, len);
        int end = off + len;
        if (p < 0 || p + 10 > end || (b[p + 3] & 0xFF) != 0x9d || (b[p + 4] & 0xFF) != 0x01
                || (b[p + 5] & 0xFF) != 0x2a) {
            return -1;
        }
        return ((b[p + 9] & 0x3F) << 8) | (b[p + 8] & 0xFF);
    }

    /** Offset of the VP8 payload header of a keyframe's first packet, or -1. */
    private static int payloadHeader(byte[] b, int off, int len) {
        int header = Rtp.headerLength(b, off, len);
        if (header < 0) {
            return -1;
        }
        int end = off + len;
        if (Rtp.hasPadding(b, off)) {
            end -= b[end - 1] & 0xFF;
        }
        int p = off + header;
        if (p >= end) {
            return -1;
        }
        int first = b[p] & 0xFF;
        boolean start = (first & 0x10) != 0;
        int partition = first & 0x07;
        if (!start || partition != 0) {
            return -1;
        }
        p++;
        if ((first & 0x80) != 0) { // X: extension byte follows
            if (p >= end) {
                return -1;
            }
            int x = b[p++] & 0xFF;
            if ((x & 0x80) != 0) { // I: picture id, 7 or 15 bits
                if (p >= end) {
                    return -1;
                }
                p += (b[p] & 0x80) != 0 ? 2 : 1;
            }
            if ((x & 0x40) != 0) { // L: TL0PICIDX
                p++;
            }
            if ((x & 0x30) != 0) { // T or K: TID/Y/KEYIDX byte
                p++;
            }
        }
        return p < end && (b[p] & 0x01) == 0 ? p : -1;
    }
}
