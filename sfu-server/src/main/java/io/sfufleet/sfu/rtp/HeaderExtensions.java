package io.sfufleet.sfu.rtp;

/**
 * Finds an RFC 8285 header extension element (one-byte form, profile 0xBEDE, or two-byte form,
 * 0x100x) in an RTP packet: the one walk over the extension block that every reader uses (audio
 * level, transport-wide sequence, mid and rid, dependency descriptor). Static, no allocation,
 * never reads outside the packet.
 */
public final class HeaderExtensions {
    private HeaderExtensions() {
    }

    /**
     * Element {@code id}'s data as {@code position << 32 | length} (position in {@code b}), or -1
     * if the packet has no such element or its extension block is malformed.
     */
    public static long find(byte[] b, int off, int len, int id) {
        if (id < 1 || id > 255 || len < Rtp.FIXED_HEADER || !Rtp.hasExtension(b, off)) {
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
            int elementId;
            int length;
            int data;
            if (oneByte) {
                int h = b[i] & 0xFF;
                if (h == 0) {
                    i++; // padding
                    continue;
                }
                elementId = h >>> 4;
                if (elementId == 15) {
                    return -1; // reserved: stop reading (RFC 8285 section 4.2)
                }
                length = (h & 0x0F) + 1;
                data = i + 1;
            } else {
                elementId = b[i] & 0xFF;
                if (elementId == 0) {
                    i++;
                    continue;
                }
                if (i + 2 > dataEnd) {
                    return -1;
                }
                length = b[i + 1] & 0xFF;
                data = i + 2;
            }
            if (data + length > dataEnd) {
                return -1;
            }
            if (elementId == id) {
                return (long) data << 32 | length;
            }
            i = data + length;
        }
        return -1;
    }

    public static int position(long found) {
        return (int) (found >>> 32);
    }

    public static int length(long found) {
        return (int) found;
    }

    /** Whether the element found by {@link #find} holds exactly the ASCII string {@code value} (a mid or rid). */
    public static boolean equalsAscii(byte[] b, long found, String value) {
        if (found < 0 || length(found) != value.length()) {
            return false;
        }
        int p = position(found);
        for (int i = 0; i < value.length(); i++) {
            if (b[p + i] != (byte) value.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
