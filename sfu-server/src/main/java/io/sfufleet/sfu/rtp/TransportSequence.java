package io.sfufleet.sfu.rtp;

/**
 * The transport-wide sequence number header extension
 * (draft-holmer-rmcat-transport-wide-cc-extensions-01 section 2): a 16-bit counter over every
 * packet on a connection, whatever its SSRC, that transport-cc feedback refers to. Reads it in
 * both RFC 8285 forms, and stamps a forwarded packet with the node's own. Static, no allocation,
 * never reads or writes outside the packet or buffer.
 */
public final class TransportSequence {
    public static final String URI = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
    /** What {@link #stamp} puts in place of the extension block: 0xBEDE, one word, one element. */
    static final int STAMPED_BLOCK = 8;

    private TransportSequence() {
    }

    /** The sequence number in element {@code id}, or -1 if absent or the extension is malformed. */
    public static int read(byte[] b, int off, int len, int id) {
        if (id < 1 || len < Rtp.FIXED_HEADER || !Rtp.hasExtension(b, off)) {
            return -1;
        }
        int ext = off + Rtp.FIXED_HEADER + 4 * Rtp.csrcCount(b, off);
        int end = off + len;
        if (ext + 4 > end) {
            return -1;
        }
        int profile = Rtp.readUint16(b, ext);
        int dataEnd = ext + 4 + 4 * Rtp.readUint16(b, ext + 2);
        if (dataEnd > end) {
            return -1;
        }
        boolean oneByte = profile == 0xBEDE;
        if (!oneByte && (profile & 0xFFF0) != 0x1000 || oneByte && id > 14) {
            return -1;
        }
        int i = ext + 4;
        while (i < dataEnd) {
            int h = b[i] & 0xFF;
            if (h == 0) {
                i++;
                continue;
            }
            int elementId;
            int length;
            int data;
            if (oneByte) {
                elementId = h >>> 4;
                length = (h & 0x0F) + 1;
                data = i + 1;
                if (elementId == 15) {
                    return -1;
                }
            } else {
                if (i + 2 > dataEnd) {
                    return -1;
                }
                elementId = h;
                length = b[i + 1] & 0xFF;
                data = i + 2;
            }
            if (data + length > dataEnd) {
                return -1;
            }
            if (elementId == id) {
                return length >= 2 ? Rtp.readUint16(b, data) : -1;
            }
            i = data + length;
        }
        return -1;
    }

    /**
     * Replaces the header extension of the valid RTP packet {@code b[off, off+len)} (if any) with
     * one holding only element {@code id} (1..14) = {@code sequence}, moving the payload. The
     * receiver negotiated no other extension with the node, so the publisher's elements would be
     * noise to it at best, and at worst carry an id the receiver maps to something else. Returns
     * the new length, or -1 if the packet is malformed or would not fit in {@code capacity}
     * bytes from {@code off}.
     */
    public static int stamp(byte[] b, int off, int len, int capacity, int id, int sequence) {
        int header = Rtp.headerLength(b, off, len);
        if (header < 0 || header > len || id < 1 || id > 14) {
            return -1;
        }
        int ext = Rtp.FIXED_HEADER + 4 * Rtp.csrcCount(b, off);
        int oldBlock = header - ext;
        int newLength = len - oldBlock + STAMPED_BLOCK;
        if (newLength > capacity) {
            return -1;
        }
        System.arraycopy(b, off + header, b, off + ext + STAMPED_BLOCK, len - header);
        b[off] |= 0x10;
        int p = off + ext;
        b[p] = (byte) 0xBE;
        b[p + 1] = (byte) 0xDE;
        b[p + 2] = 0;
        b[p + 3] = 1;
        b[p + 4] = (byte) (id << 4 | 1); // length field is bytes - 1
        b[p + 5] = (byte) (sequence >>> 8);
        b[p + 6] = (byte) sequence;
        b[p + 7] = 0;
        return newLength;
    }
}
