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
        long found = HeaderExtensions.find(b, off, len, id);
        return found < 0 || HeaderExtensions.length(found) < 2 ? -1 : Rtp.readUint16(b, HeaderExtensions.position(found));
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
