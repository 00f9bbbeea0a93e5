package io.sfufleet.sfu.loadtest.media;

/**
 * The sender's clock in the last 12 bytes of every synthetic RTP payload: a 4-byte marker, then
 * {@link System#nanoTime()} at the moment the packet was handed to SRTP. Senders and receivers run
 * in the same JVM, so the receiver's nanoTime minus this is the delay through the server (plus the
 * two SRTP operations and socket hops). At the end of the payload, codec headers at its start stay
 * as a real encoder writes them; servers forward payloads unchanged.
 */
public final class SendTimestamp {
    public static final int LENGTH = 12;
    private static final int MARKER = 0x53464C54; // "SFLT"

    private SendTimestamp() {
    }

    /** Writes the marker and {@code nanos} into {@code b[end - 12, end)}. */
    public static void write(byte[] b, int end, long nanos) {
        int p = end - LENGTH;
        writeInt(b, p, MARKER);
        writeInt(b, p + 4, (int) (nanos >>> 32));
        writeInt(b, p + 8, (int) nanos);
    }

    /**
     * The send time in {@code b[payloadOff, end)}, or {@link Long#MIN_VALUE} when the payload is too
     * short or has no marker (not one of ours).
     */
    public static long read(byte[] b, int payloadOff, int end) {
        if (end - payloadOff < LENGTH) {
            return Long.MIN_VALUE;
        }
        int p = end - LENGTH;
        if (readInt(b, p) != MARKER) {
            return Long.MIN_VALUE;
        }
        return ((long) readInt(b, p + 4) << 32) | (readInt(b, p + 8) & 0xFFFFFFFFL);
    }

    private static void writeInt(byte[] b, int p, int v) {
        b[p] = (byte) (v >>> 24);
        b[p + 1] = (byte) (v >>> 16);
        b[p + 2] = (byte) (v >>> 8);
        b[p + 3] = (byte) v;
    }

    private static int readInt(byte[] b, int p) {
        return (b[p] << 24) | ((b[p + 1] & 0xFF) << 16) | ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
    }
}
