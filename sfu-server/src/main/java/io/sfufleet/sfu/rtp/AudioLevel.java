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
        long found = HeaderExtensions.find(b, off, len, id);
        return found < 0 || HeaderExtensions.length(found) < 1 ? -1 : b[HeaderExtensions.position(found)] & 0xFF;
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
