package io.sfufleet.sfu.rtcp;

import io.sfufleet.sfu.rtp.Rtp;

/**
 * Generic NACK (RFC 4585 section 6.2.1): a transport-layer feedback message (PT 205, FMT 1) whose
 * FCI is one or more 32-bit entries, each a packet ID (PID, a lost sequence number) and a bitmask
 * of following lost packets (BLP: bit i set means PID+i+1 is lost too). Static, no allocation.
 */
public final class Nack {
    /** Header (4), sender SSRC (4), media SSRC (4). */
    public static final int HEADER = 12;

    private Nack() {
    }

    /**
     * The lost sequence numbers named by the NACK at {@code pos} (already checked to be an
     * RTPFB/FMT 1 of {@code len} bytes within a valid compound), in FCI order, into {@code out};
     * returns how many, at most {@code out.length}.
     */
    public static int lostSequences(byte[] b, int pos, int len, int[] out) {
        int n = 0;
        for (int fci = pos + HEADER; fci + 4 <= pos + len && n < out.length; fci += 4) {
            int pid = Rtp.readUint16(b, fci);
            int blp = Rtp.readUint16(b, fci + 2);
            out[n++] = pid;
            for (int bit = 0; bit < 16 && n < out.length; bit++) {
                if ((blp & (1 << bit)) != 0) {
                    out[n++] = (pid + bit + 1) & 0xFFFF;
                }
            }
        }
        return n;
    }

    /**
     * Writes a generic NACK for the {@code count} sequence numbers in {@code seqs} (in any order;
     * each one that falls within 16 after the PID of the entry before shares it). Returns the
     * length written: 12 + 4 per FCI entry, so at most 12 + 4 * count.
     */
    public static int write(byte[] b, int pos, int senderSsrc, int mediaSsrc, int[] seqs, int count) {
        b[pos] = (byte) (0x80 | Rtcp.FMT_NACK);
        b[pos + 1] = (byte) Rtcp.RTPFB;
        Rtp.writeUint32(b, pos + 4, senderSsrc & 0xFFFFFFFFL);
        Rtp.writeUint32(b, pos + 8, mediaSsrc & 0xFFFFFFFFL);
        int fci = pos + HEADER;
        int pid = -1;
        int blp = 0;
        for (int i = 0; i < count; i++) {
            int seq = seqs[i] & 0xFFFF;
            int diff = pid < 0 ? -1 : (seq - pid) & 0xFFFF;
            if (diff >= 1 && diff <= 16) {
                blp |= 1 << (diff - 1);
                continue;
            }
            if (pid >= 0) {
                Rtp.writeUint16(b, fci, pid);
                Rtp.writeUint16(b, fci + 2, blp);
                fci += 4;
            }
            pid = seq;
            blp = 0;
        }
        if (pid >= 0) {
            Rtp.writeUint16(b, fci, pid);
            Rtp.writeUint16(b, fci + 2, blp);
            fci += 4;
        }
        int len = fci - pos;
        Rtp.writeUint16(b, pos + 2, len / 4 - 1);
        return len;
    }
}
