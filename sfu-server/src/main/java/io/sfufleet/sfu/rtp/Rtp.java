package io.sfufleet.sfu.rtp;

/**
 * Static accessors for RTP header fields (RFC 3550 section 5.1) over a byte array, so the packet
 * path reads headers without creating objects. Callers check {@link #isValid} first.
 */
public final class Rtp {
    public static final int FIXED_HEADER = 12;

    private Rtp() {
    }

    /** Version 2, at least a fixed header, and the CSRC list and extension fit in the packet. */
    public static boolean isValid(byte[] b, int off, int len) {
        if (len < FIXED_HEADER || (b[off] & 0xC0) != 0x80) {
            return false;
        }
        int hl = headerLength(b, off, len);
        if (hl < 0 || hl > len) {
            return false;
        }
        if (hasPadding(b, off)) {
            int pad = b[off + len - 1] & 0xFF;
            return pad > 0 && hl + pad <= len;
        }
        return true;
    }

    public static boolean hasPadding(byte[] b, int off) {
        return (b[off] & 0x20) != 0;
    }

    public static boolean hasExtension(byte[] b, int off) {
        return (b[off] & 0x10) != 0;
    }

    public static int csrcCount(byte[] b, int off) {
        return b[off] & 0x0F;
    }

    public static boolean marker(byte[] b, int off) {
        return (b[off + 1] & 0x80) != 0;
    }

    public static int payloadType(byte[] b, int off) {
        return b[off + 1] & 0x7F;
    }

    public static void setPayloadType(byte[] b, int off, int pt) {
        b[off + 1] = (byte) ((b[off + 1] & 0x80) | (pt & 0x7F));
    }

    public static int sequence(byte[] b, int off) {
        return ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }

    public static long timestamp(byte[] b, int off) {
        return readUint32(b, off + 4);
    }

    /** The SSRC as a Java int (bit pattern); use {@code Integer.toUnsignedLong} to print it. */
    public static int ssrc(byte[] b, int off) {
        return (int) readUint32(b, off + 8);
    }

    public static void setSsrc(byte[] b, int off, int ssrc) {
        writeUint32(b, off + 8, ssrc & 0xFFFFFFFFL);
    }

    /** Header length including CSRCs and the extension, or -1 if it cannot be read within len. */
    public static int headerLength(byte[] b, int off, int len) {
        int hl = FIXED_HEADER + 4 * csrcCount(b, off);
        if (hasExtension(b, off)) {
            if (hl + 4 > len) {
                return -1;
            }
            int words = ((b[off + hl + 2] & 0xFF) << 8) | (b[off + hl + 3] & 0xFF);
            hl += 4 + 4 * words;
        }
        return hl;
    }

    public static long readUint32(byte[] b, int pos) {
        return ((long) (b[pos] & 0xFF) << 24) | ((b[pos + 1] & 0xFF) << 16)
                | ((b[pos + 2] & 0xFF) << 8) | (b[pos + 3] & 0xFF);
    }

    public static void writeUint32(byte[] b, int pos, long v) {
        b[pos] = (byte) (v >>> 24);
        b[pos + 1] = (byte) (v >>> 16);
        b[pos + 2] = (byte) (v >>> 8);
        b[pos + 3] = (byte) v;
    }

    public static void writeUint16(byte[] b, int pos, int v) {
        b[pos] = (byte) (v >>> 8);
        b[pos + 1] = (byte) v;
    }

    public static int readUint16(byte[] b, int pos) {
        return ((b[pos] & 0xFF) << 8) | (b[pos + 1] & 0xFF);
    }
}
