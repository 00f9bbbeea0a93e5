package io.sfufleet.sfu.rtcp;

import io.sfufleet.sfu.rtp.Rtp;

/**
 * Static helpers for RTCP compound packets over byte arrays. Readers validate lengths so a
 * malformed packet is reported as invalid instead of reading past its end.
 */
public final class Rtcp {
    public static final int SR = 200;
    public static final int RR = 201;
    public static final int SDES = 202;
    public static final int BYE = 203;
    public static final int APP = 204;
    /** Transport-layer feedback (RFC 4585): FMT 1 = generic NACK, 15 = transport-wide CC. */
    public static final int RTPFB = 205;
    /** Payload-specific feedback: FMT 1 = PLI, 4 = FIR (RFC 5104), 15 = application (REMB). */
    public static final int PSFB = 206;

    public static final int FMT_NACK = 1;
    public static final int FMT_PLI = 1;
    public static final int FMT_FIR = 4;
    public static final int FMT_AFB = 15;

    private Rtcp() {
    }

    /** Length in bytes of the RTCP packet starting at pos (header length field + 1 words). */
    public static int packetLength(byte[] b, int pos) {
        return (Rtp.readUint16(b, pos + 2) + 1) * 4;
    }

    public static int packetType(byte[] b, int pos) {
        return b[pos + 1] & 0xFF;
    }

    /** The count / FMT field (low 5 bits of the first byte). */
    public static int countOrFmt(byte[] b, int pos) {
        return b[pos] & 0x1F;
    }

    public static int senderSsrc(byte[] b, int pos) {
        return (int) Rtp.readUint32(b, pos + 4);
    }

    /** For feedback messages (RTPFB, PSFB): the SSRC of the media source the feedback is about. */
    public static int mediaSsrc(byte[] b, int pos) {
        return (int) Rtp.readUint32(b, pos + 8);
    }

    /**
     * Whether [off, off+len) is a well-formed compound packet: every sub-packet is version 2 and
     * its length fits. Needed before walking, so a lying length field cannot send us out of bounds.
     */
    public static boolean isValidCompound(byte[] b, int off, int len) {
        if (len < 4) {
            return false;
        }
        int pos = off;
        int end = off + len;
        while (pos < end) {
            if (end - pos < 4 || (b[pos] & 0xC0) != 0x80) {
                return false;
            }
            int pl = packetLength(b, pos);
            if (pos + pl > end) {
                return false;
            }
            int pt = packetType(b, pos);
            if (pt < 192 || pt > 223) {
                return false;
            }
            pos += pl;
        }
        return true;
    }

    /** Writes a PLI (RFC 4585 section 6.3.1) at pos; returns its length, 12. */
    public static int writePli(byte[] b, int pos, int senderSsrc, int mediaSsrc) {
        b[pos] = (byte) (0x80 | FMT_PLI);
        b[pos + 1] = (byte) PSFB;
        Rtp.writeUint16(b, pos + 2, 2);
        Rtp.writeUint32(b, pos + 4, senderSsrc & 0xFFFFFFFFL);
        Rtp.writeUint32(b, pos + 8, mediaSsrc & 0xFFFFFFFFL);
        return 12;
    }

    /**
     * Writes a sender report without report blocks (RFC 3550 section 6.4.1); returns its length, 28.
     *
     * @param ntp the NTP timestamp, seconds in the upper 32 bits and the fraction in the lower
     */
    public static int writeSenderReport(byte[] b, int pos, int senderSsrc, long ntp, long rtpTimestamp,
                                        long packets, long octets) {
        b[pos] = (byte) 0x80;
        b[pos + 1] = (byte) SR;
        Rtp.writeUint16(b, pos + 2, 6);
        Rtp.writeUint32(b, pos + 4, senderSsrc & 0xFFFFFFFFL);
        Rtp.writeUint32(b, pos + 8, ntp >>> 32);
        Rtp.writeUint32(b, pos + 12, ntp & 0xFFFFFFFFL);
        Rtp.writeUint32(b, pos + 16, rtpTimestamp & 0xFFFFFFFFL);
        Rtp.writeUint32(b, pos + 20, packets & 0xFFFFFFFFL);
        Rtp.writeUint32(b, pos + 24, octets & 0xFFFFFFFFL);
        return 28;
    }

    /**
     * Writes a receiver report with one report block per entry (RFC 3550 section 6.4.2); returns
     * its length. Arrays are read up to {@code count}.
     */
    public static int writeReceiverReport(byte[] b, int pos, int senderSsrc, int count, int[] ssrcs,
                                          int[] fractionLost, int[] cumulativeLost, long[] extHighestSeq,
                                          long[] jitter, long[] lsr, long[] dlsr) {
        int len = 8 + 24 * count;
        b[pos] = (byte) (0x80 | count);
        b[pos + 1] = (byte) RR;
        Rtp.writeUint16(b, pos + 2, len / 4 - 1);
        Rtp.writeUint32(b, pos + 4, senderSsrc & 0xFFFFFFFFL);
        int p = pos + 8;
        for (int i = 0; i < count; i++) {
            Rtp.writeUint32(b, p, ssrcs[i] & 0xFFFFFFFFL);
            int lost = Math.max(-0x800000, Math.min(0x7FFFFF, cumulativeLost[i]));
            Rtp.writeUint32(b, p + 4, ((long) (fractionLost[i] & 0xFF) << 24) | (lost & 0xFFFFFFL));
            Rtp.writeUint32(b, p + 8, extHighestSeq[i]);
            Rtp.writeUint32(b, p + 12, jitter[i]);
            Rtp.writeUint32(b, p + 16, lsr[i]);
            Rtp.writeUint32(b, p + 20, dlsr[i]);
            p += 24;
        }
        return len;
    }

    /**
     * Writes a REMB (draft-alvestrand-rmcat-remb) telling a publisher how many bits per second the
     * node will take for the given SSRCs; returns its length.
     */
    public static int writeRemb(byte[] b, int pos, int senderSsrc, long bitrateBps, int[] ssrcs, int count) {
        int len = 20 + 4 * count;
        b[pos] = (byte) (0x80 | FMT_AFB);
        b[pos + 1] = (byte) PSFB;
        Rtp.writeUint16(b, pos + 2, len / 4 - 1);
        Rtp.writeUint32(b, pos + 4, senderSsrc & 0xFFFFFFFFL);
        Rtp.writeUint32(b, pos + 8, 0);
        b[pos + 12] = 'R';
        b[pos + 13] = 'E';
        b[pos + 14] = 'M';
        b[pos + 15] = 'B';
        int exp = 0;
        long mantissa = Math.max(0, bitrateBps);
        while (mantissa > 0x3FFFF) {
            mantissa >>>= 1;
            exp++;
        }
        b[pos + 16] = (byte) count;
        b[pos + 17] = (byte) ((exp << 2) | (int) (mantissa >>> 16));
        b[pos + 18] = (byte) (mantissa >>> 8);
        b[pos + 19] = (byte) mantissa;
        for (int i = 0; i < count; i++) {
            Rtp.writeUint32(b, pos + 20 + 4 * i, ssrcs[i] & 0xFFFFFFFFL);
        }
        return len;
    }

    /** Reads a REMB's bitrate in bits per second, or -1 if the PSFB at pos is not a REMB. */
    public static long readRembBitrate(byte[] b, int pos) {
        if (packetType(b, pos) != PSFB || countOrFmt(b, pos) != FMT_AFB || packetLength(b, pos) < 20
                || b[pos + 12] != 'R' || b[pos + 13] != 'E' || b[pos + 14] != 'M' || b[pos + 15] != 'B') {
            return -1;
        }
        int exp = (b[pos + 17] & 0xFC) >>> 2;
        long mantissa = ((long) (b[pos + 17] & 0x03) << 16) | ((b[pos + 18] & 0xFF) << 8) | (b[pos + 19] & 0xFF);
        return mantissa << exp;
    }
}
