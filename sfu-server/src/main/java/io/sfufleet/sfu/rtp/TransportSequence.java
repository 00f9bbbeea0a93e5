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
        return stamp(b, off, len, capacity, id, sequence, -1, -1, null);
    }

    /**
     * As {@link #stamp(byte[], int, int, int, int, int)}, but keeps one more of the packet's
     * elements: element {@code keepId} (the publisher's id), if present, goes out as
     * {@code keepAsId} (the id the receiver negotiated), after the sequence element. The
     * dependency descriptor is kept this way: a receiver of layers needs it to place frames. An
     * element over 16 bytes, as a descriptor carrying its structure is, needs RFC 8285's two-byte
     * form (negotiated with a=extmap-allow-mixed); both elements are then written in it.
     * {@code scratch} (256 bytes) holds the element while the payload moves.
     */
    public static int stamp(byte[] b, int off, int len, int capacity, int id, int sequence,
                            int keepId, int keepAsId, byte[] scratch) {
        int header = Rtp.headerLength(b, off, len);
        if (header < 0 || header > len || id < 1 || id > 14) {
            return -1;
        }
        int keptLength = 0;
        if (keepId > 0 && keepAsId > 0 && keepAsId < 256) {
            long found = HeaderExtensions.find(b, off, len, keepId);
            if (found >= 0 && HeaderExtensions.length(found) > 0) {
                keptLength = Math.min(HeaderExtensions.length(found), 255);
                System.arraycopy(b, HeaderExtensions.position(found), scratch, 0, keptLength);
            }
        }
        boolean twoByte = keptLength > 16 || keptLength > 0 && keepAsId > 14;
        int elements = keptLength == 0 ? 3 : twoByte ? 4 + 2 + keptLength : 3 + 1 + keptLength;
        int block = 4 + (elements + 3) / 4 * 4;
        int ext = Rtp.FIXED_HEADER + 4 * Rtp.csrcCount(b, off);
        int oldBlock = header - ext;
        int newLength = len - oldBlock + block;
        if (newLength > capacity) {
            return -1;
        }
        System.arraycopy(b, off + header, b, off + ext + block, len - header);
        b[off] |= 0x10;
        int p = off + ext;
        b[p] = (byte) (twoByte ? 0x10 : 0xBE);
        b[p + 1] = (byte) (twoByte ? 0x00 : 0xDE);
        Rtp.writeUint16(b, p + 2, (block - 4) / 4);
        int q = p + 4;
        if (twoByte) {
            b[q++] = (byte) id;
            b[q++] = 2;
        } else {
            b[q++] = (byte) (id << 4 | 1); // length field is bytes - 1
        }
        b[q++] = (byte) (sequence >>> 8);
        b[q++] = (byte) sequence;
        if (keptLength > 0) {
            if (twoByte) {
                b[q++] = (byte) keepAsId;
                b[q++] = (byte) keptLength;
            } else {
                b[q++] = (byte) (keepAsId << 4 | (keptLength - 1));
            }
            System.arraycopy(scratch, 0, b, q, keptLength);
            q += keptLength;
        }
        while (q < p + block) {
            b[q++] = 0; // padding
        }
        return newLength;
    }
}
