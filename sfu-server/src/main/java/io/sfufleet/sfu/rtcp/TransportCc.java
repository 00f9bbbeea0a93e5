package io.sfufleet.sfu.rtcp;

import io.sfufleet.sfu.rtp.Rtp;

/**
 * Transport-wide congestion control feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01
 * section 3.1): RTPFB, FMT 15. After the common feedback header come the base sequence number,
 * the packet status count, a 24-bit signed reference time in 64 ms units and an 8-bit feedback
 * packet count; then 16-bit packet status chunks (run length, or a vector of 14 one-bit or 7
 * two-bit symbols), then one receive delta per received packet (1 byte unsigned or 2 bytes signed,
 * in 250 us units), padded to a 32-bit boundary.
 *
 * <p>Sans-IO and allocation-free: {@link #parse} fills a caller-owned {@link Feedback}; {@link
 * #write} encodes arrival times given as arrays. A malformed packet makes {@code parse} return
 * false rather than throw, so the media loop counts it and goes on.
 */
public final class TransportCc {
    public static final int FMT = 15;
    /** Common feedback header (12) plus base sequence, status count, reference time, fb count (8). */
    public static final int HEADER = 20;
    /** Receive deltas and the reference time count in these (250 us and 64 ms). */
    public static final long DELTA_MICROS = 250;
    public static final long REFERENCE_MICROS = 64_000;
    /** Arrival time meaning "not received" in {@link Feedback#arrivalMicros} and {@link #write}'s input. */
    public static final long NOT_RECEIVED = Long.MIN_VALUE;

    static final int SYMBOL_NOT_RECEIVED = 0;
    static final int SYMBOL_SMALL_DELTA = 1;
    static final int SYMBOL_LARGE_DELTA = 2;

    private TransportCc() {
    }

    /** One parsed feedback packet; reused from packet to packet. */
    public static final class Feedback {
        public int mediaSsrc;
        public int baseSequence;
        public int count;
        public int feedbackCount;
        /** Reference time as signed 64 ms units; the arrival times below already include it. */
        public int referenceTime;
        /** Per packet from {@link #baseSequence} on: arrival in the receiver's clock, or {@link #NOT_RECEIVED}. */
        public final long[] arrivalMicros;

        public Feedback(int capacity) {
            arrivalMicros = new long[capacity];
        }

        public int sequence(int i) {
            return (baseSequence + i) & 0xFFFF;
        }

        public boolean received(int i) {
            return arrivalMicros[i] != NOT_RECEIVED;
        }
    }

    /**
     * Reads the feedback packet of {@code len} bytes at {@code pos} (an RTPFB with FMT 15, already
     * walked as part of a valid compound) into {@code out}. Returns false, leaving {@code out}
     * unspecified, for a packet that is too short, whose chunks or deltas run past its end, that
     * uses the reserved symbol, or that describes more packets than {@code out} holds.
     */
    public static boolean parse(byte[] b, int pos, int len, Feedback out) {
        if (len < HEADER + 2 || Rtcp.packetType(b, pos) != Rtcp.RTPFB || Rtcp.countOrFmt(b, pos) != FMT) {
            return false;
        }
        int end = pos + len;
        int count = Rtp.readUint16(b, pos + 14);
        if (count == 0 || count > out.arrivalMicros.length) {
            return false;
        }
        out.mediaSsrc = Rtcp.mediaSsrc(b, pos);
        out.baseSequence = Rtp.readUint16(b, pos + 12);
        out.count = count;
        int ref = ((b[pos + 16] & 0xFF) << 16) | ((b[pos + 17] & 0xFF) << 8) | (b[pos + 18] & 0xFF);
        out.referenceTime = (ref << 8) >> 8; // sign-extend 24 bits
        out.feedbackCount = b[pos + 19] & 0xFF;
        // First pass: the symbols, kept in arrivalMicros as small integers until the deltas are known.
        long[] a = out.arrivalMicros;
        int p = pos + HEADER;
        int n = 0;
        while (n < count) {
            if (p + 2 > end) {
                return false;
            }
            int chunk = Rtp.readUint16(b, p);
            p += 2;
            if ((chunk & 0x8000) == 0) {
                int symbol = (chunk >>> 13) & 0x3;
                int run = chunk & 0x1FFF;
                if (symbol == 3 || run == 0) {
                    return false;
                }
                for (int i = 0; i < run && n < count; i++) {
                    a[n++] = symbol;
                }
            } else if ((chunk & 0x4000) == 0) {
                for (int i = 13; i >= 0 && n < count; i--) {
                    a[n++] = (chunk >>> i) & 0x1;
                }
            } else {
                for (int i = 6; i >= 0 && n < count; i--) {
                    int symbol = (chunk >>> (2 * i)) & 0x3;
                    if (symbol == 3) {
                        return false;
                    }
                    a[n++] = symbol;
                }
            }
        }
        long t = out.referenceTime * REFERENCE_MICROS;
        for (int i = 0; i < count; i++) {
            int symbol = (int) a[i];
            if (symbol == SYMBOL_NOT_RECEIVED) {
                a[i] = NOT_RECEIVED;
                continue;
            }
            int delta;
            if (symbol == SYMBOL_SMALL_DELTA) {
                if (p + 1 > end) {
                    return false;
                }
                delta = b[p] & 0xFF;
                p += 1;
            } else {
                if (p + 2 > end) {
                    return false;
                }
                delta = (short) Rtp.readUint16(b, p);
                p += 2;
            }
            t += delta * DELTA_MICROS;
            a[i] = t;
        }
        return true;
    }

    /**
     * Writes feedback for {@code count} consecutive sequence numbers from {@code baseSequence},
     * whose arrival times (receiver clock, microseconds, {@link #NOT_RECEIVED} for lost) are
     * {@code arrivalMicros[0..count)}. The first packet must have been received (feedback starts
     * at a received packet), and times must be truncated to 250 us steps by the caller if it wants
     * {@link #parse} to give them back exactly. Returns the length written, a multiple of 4, or -1
     * if a delta does not fit in 16 bits (the caller then ends the feedback before that packet).
     */
    public static int write(byte[] b, int pos, int senderSsrc, int mediaSsrc, int baseSequence, int feedbackCount,
                            long[] arrivalMicros, int count) {
        if (count <= 0 || count > 0xFFFF || arrivalMicros[0] == NOT_RECEIVED) {
            return -1;
        }
        long referenceUnits = Math.floorDiv(arrivalMicros[0], REFERENCE_MICROS);
        b[pos] = (byte) (0x80 | FMT);
        b[pos + 1] = (byte) Rtcp.RTPFB;
        Rtp.writeUint32(b, pos + 4, senderSsrc & 0xFFFFFFFFL);
        Rtp.writeUint32(b, pos + 8, mediaSsrc & 0xFFFFFFFFL);
        Rtp.writeUint16(b, pos + 12, baseSequence & 0xFFFF);
        Rtp.writeUint16(b, pos + 14, count);
        b[pos + 16] = (byte) (referenceUnits >>> 16);
        b[pos + 17] = (byte) (referenceUnits >>> 8);
        b[pos + 18] = (byte) referenceUnits;
        b[pos + 19] = (byte) feedbackCount;
        // Deltas first into their place after the chunks: the number of chunks depends on the
        // symbols, which depend on the deltas, so compute symbols in one pass and write twice.
        int p = pos + HEADER;
        long previous = referenceUnits * REFERENCE_MICROS;
        int i = 0;
        while (i < count) {
            // Prefer a run when at least 7 equal symbols follow; else a vector, one-bit if it can.
            int first = symbol(arrivalMicros, i, previous);
            if (first < 0) {
                return -1;
            }
            int run = 1;
            long prev = advance(arrivalMicros, i, previous);
            while (i + run < count && run < 0x1FFF) {
                int s = symbol(arrivalMicros, i + run, prev);
                if (s != first) {
                    break;
                }
                prev = advance(arrivalMicros, i + run, prev);
                run++;
            }
            if (run >= 7 || i + run == count) {
                Rtp.writeUint16(b, p, (first << 13) | run);
                i += run;
                previous = prev;
            } else {
                // Look ahead 14: a one-bit vector if all are lost or small, else a two-bit one of 7.
                boolean twoBit = false;
                long q = previous;
                for (int k = 0; k < 14 && i + k < count; k++) {
                    int s = symbol(arrivalMicros, i + k, q);
                    if (s < 0) {
                        return -1;
                    }
                    if (s == SYMBOL_LARGE_DELTA) {
                        twoBit = true;
                        break;
                    }
                    q = advance(arrivalMicros, i + k, q);
                }
                int chunk = twoBit ? 0xC000 : 0x8000;
                int slots = twoBit ? 7 : 14;
                int bits = twoBit ? 2 : 1;
                for (int k = 0; k < slots; k++) {
                    int s = SYMBOL_NOT_RECEIVED;
                    if (i < count) {
                        s = symbol(arrivalMicros, i, previous);
                        if (s < 0) {
                            return -1;
                        }
                        previous = advance(arrivalMicros, i, previous);
                        i++;
                    }
                    chunk |= s << (bits * (slots - 1 - k));
                }
                Rtp.writeUint16(b, p, chunk);
            }
            p += 2;
        }
        previous = referenceUnits * REFERENCE_MICROS;
        for (int k = 0; k < count; k++) {
            long t = arrivalMicros[k];
            if (t == NOT_RECEIVED) {
                continue;
            }
            long delta = Math.floorDiv(t - previous, DELTA_MICROS);
            if (delta >= 0 && delta <= 0xFF) {
                b[p++] = (byte) delta;
            } else {
                Rtp.writeUint16(b, p, (int) delta & 0xFFFF);
                p += 2;
            }
            previous += delta * DELTA_MICROS;
        }
        while (((p - pos) & 3) != 0) {
            b[p++] = 0;
        }
        int len = p - pos;
        Rtp.writeUint16(b, pos + 2, len / 4 - 1);
        return len;
    }

    /** The symbol of packet i given the previous received arrival; -1 if its delta needs more than 16 bits. */
    private static int symbol(long[] arrivals, int i, long previous) {
        long t = arrivals[i];
        if (t == NOT_RECEIVED) {
            return SYMBOL_NOT_RECEIVED;
        }
        long delta = Math.floorDiv(t - previous, DELTA_MICROS);
        if (delta >= 0 && delta <= 0xFF) {
            return SYMBOL_SMALL_DELTA;
        }
        return delta >= Short.MIN_VALUE && delta <= Short.MAX_VALUE ? SYMBOL_LARGE_DELTA : -1;
    }

    /** The time deltas count from after packet i: its arrival rounded as written, or unchanged if lost. */
    private static long advance(long[] arrivals, int i, long previous) {
        long t = arrivals[i];
        return t == NOT_RECEIVED ? previous : previous + Math.floorDiv(t - previous, DELTA_MICROS) * DELTA_MICROS;
    }
}
