package io.sfufleet.sfu.rtp;

/**
 * Reads the client-to-mixer audio level (RFC 6464) from an RTP packet's header extension. SRTP
 * leaves the header, extensions included, in the clear (RFC 3711 section 3.1), so this works on
 * the packet before decryption: the node ranks speakers without decrypting anything. Handles
 * both header extension forms of RFC 8285 (one-byte, profile 0xBEDE, and two-byte, 0x100x).
 * Static, no allocation; never reads outside the packet.
 */
public final class AudioLevel {
    /** The level meaning silence: -127 dBov. */
    public static final int SILENCE = 127;

    private AudioLevel() {
    }

    /**
     * The extension element {@code id}'s first byte (bit 7: voice activity, bits 0..6: level in
     * -dBov, 0 loudest, 127 silence), or -1 if the packet carries no such element or its header
     * extension is malformed.
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
        if (dataEnd > end) {
            return -1;
        }
        int i = ext + 4;
        if (profile == 0xBEDE) {
            if (id > 14) {
                return -1;
            }
            while (i < dataEnd) {
                int h = b[i] & 0xFF;
                if (h == 0) {
                    i++; // padding between elements
                    continue;
                }
                int elementId = h >>> 4;
                int length = (h & 0x0F) + 1;
                if (elementId == 15 || i + 1 + length > dataEnd) {
                    return -1; // 15 is reserved: stop reading (RFC 8285 section 4.2)
                }
                if (elementId == id) {
                    return b[i + 1] & 0xFF;
                }
                i += 1 + length;
            }
            return -1;
        }
        if ((profile & 0xFFF0) == 0x1000) {
            while (i < dataEnd) {
                int elementId = b[i] & 0xFF;
                if (elementId == 0) {
                    i++;
                    continue;
                }
                if (i + 2 > dataEnd) {
                    return -1;
                }
                int length = b[i + 1] & 0xFF;
                if (i + 2 + length > dataEnd) {
                    return -1;
                }
                if (elementId == id) {
                    return length == 0 ? -1 : b[i + 2] & 0xFF;
                }
                i += 2 + length;
            }
        }
        return -1;
    }

    /** The level part of {@link #find}'s byte: 0 (0 dBov, loudest) to 127 (silence). */
    public static int level(int element) {
        return element & 0x7F;
    }

    /** The voice activity flag of {@link #find}'s byte (RFC 6464 section 3, when negotiated with vad=on). */
    public static boolean voiceActivity(int element) {
        return (element & 0x80) != 0;
    }
}
