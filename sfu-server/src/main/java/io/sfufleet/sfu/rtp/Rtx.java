package io.sfufleet.sfu.rtp;

/**
 * RTP retransmission payload format (RFC 4588 section 4): a retransmission goes on its own SSRC
 * and payload type, with its own sequence numbers, and carries the original sequence number
 * (OSN) as the first two bytes of its payload. Receivers that negotiated RTX (a=rtpmap rtx/...
 * with a=fmtp apt=, RFC 4588 section 8.6) expect resends in this form. Static, no allocation.
 */
public final class Rtx {
    /** Bytes the RTX form adds to a packet: the OSN. */
    public static final int OSN_LENGTH = 2;

    private Rtx() {
    }

    /**
     * Writes the RTX form of the valid RTP packet {@code in[off, off+len)} to {@code out} from
     * {@code outOff}: the same header (CSRCs and extensions included, timestamp and marker kept),
     * SSRC, payload type and sequence number replaced, the OSN, then the original payload without
     * its RTP padding (padding is per packet, RFC 3550 section 5.1). Returns the length written.
     */
    public static int write(byte[] in, int off, int len, byte[] out, int outOff, int rtxSsrc, int rtxPayloadType,
                            int rtxSequence) {
        int header = Rtp.headerLength(in, off, len);
        int payloadEnd = len;
        if (Rtp.hasPadding(in, off)) {
            payloadEnd -= in[off + len - 1] & 0xFF;
        }
        int payload = payloadEnd - header;
        System.arraycopy(in, off, out, outOff, header);
        out[outOff] &= (byte) ~0x20; // no padding in the RTX packet
        Rtp.setPayloadType(out, outOff, rtxPayloadType);
        Rtp.writeUint16(out, outOff + 2, rtxSequence & 0xFFFF);
        Rtp.setSsrc(out, outOff, rtxSsrc);
        System.arraycopy(in, off + 2, out, outOff + header, OSN_LENGTH);
        System.arraycopy(in, off + header, out, outOff + header + OSN_LENGTH, payload);
        return header + OSN_LENGTH + payload;
    }

    /** The original sequence number of an RTX packet (the first two payload bytes). */
    public static int originalSequence(byte[] b, int off, int len) {
        return Rtp.readUint16(b, off + Rtp.headerLength(b, off, len));
    }
}
