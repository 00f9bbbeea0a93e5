package io.sfufleet.sfu.rtp;

/**
 * Finds one RFC 8285 header extension element (one-byte or two-byte form) by id, for elements
 * whose value is read as bytes: the rid and mid (RFC 8852, RFC 8843) that tell which simulcast
 * layer and m-section a new SSRC belongs to. Static, no allocation; never reads outside the packet.
 */
public final class ExtensionElement {
    private ExtensionElement() {
    }

    /**
     * Element {@code id}'s value as {@code (offset << 8) | length} (offset absolute in {@code b}),
     * or -1 if absent, empty or the extension block is malformed.
     */
    public static int find(byte[] b, int off, int len, int id) {
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
        boolean oneByte = profile == 0xBEDE;
        if (dataEnd > end || !oneByte && (profile & 0xFFF0) != 0x1000 || oneByte && id > 14) {
            return -1;
        }
        int i = ext + 4;
        while (i < dataEnd) {
            int h = b[i] & 0xFF;
            if (h == 0) {
                i++;
                continue;
            }
            int elementId = oneByte ? h >>> 4 : h;
            if (oneByte && elementId == 15 || !oneByte && i + 2 > dataEnd) {
                return -1;
            }
            int length = oneByte ? (h & 0x0F) + 1 : b[i + 1] & 0xFF;
            int data = oneByte ? i + 1 : i + 2;
            if (data + length > dataEnd) {
                return -1;
            }
            if (elementId == id) {
                return length == 0 ? -1 : data << 8 | length;
            }
            i = data + length;
        }
        return -1;
    }

    /** Whether the element found by {@link #find} holds exactly the ASCII string {@code value}. */
    public static boolean equalsAscii(byte[] b, int found, String value) {
        if (found < 0 || (found & 0xFF) != value.length()) {
            return false;
        }
        int p = found >>> 8;
        for (int i = 0; i < value.length(); i++) {
            if (b[p + i] != (byte) value.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
