package io.sfufleet.sfu.transport;

/**
 * Cuts an ICE-TCP byte stream into packets (RFC 4571 section 2, as RFC 6544 uses it: each
 * packet is preceded by its length as a 16-bit big-endian integer). Sans-IO: it takes bytes in
 * whatever pieces TCP delivers them and hands out whole packets; it never touches a socket.
 *
 * <p>A frame longer than {@code maxFrame} is skipped byte for byte (its length prefix still says
 * where the next one starts) and reported, as is an empty frame; neither ends the connection, as
 * a bad datagram does not close the UDP port. One buffer of {@code maxFrame} bytes per connection,
 * nothing allocated per packet.
 */
public final class Rfc4571Deframer {
    /** Where whole frames and bad ones go. */
    public interface Frames {
        /** A whole frame, lent for the duration of the call. */
        void frame(byte[] buf, int off, int len);

        /** A frame of {@code length} bytes (0, or more than the maximum) was dropped. */
        void malformed(int length);
    }

    private final byte[] frame;
    private int headerBytes;
    private int expected;
    private int filled;
    /** Bytes of an oversized frame still to skip. */
    private int skipping;

    public Rfc4571Deframer(int maxFrame) {
        if (maxFrame < 1 || maxFrame > 0xFFFF) {
            throw new IllegalArgumentException("maxFrame must be 1..65535, got " + maxFrame);
        }
        this.frame = new byte[maxFrame];
    }

    /** Feeds {@code len} bytes of {@code in} from {@code off}; calls {@code out} for each frame they complete. */
    public void feed(byte[] in, int off, int len, Frames out) {
        int end = off + len;
        int i = off;
        while (i < end) {
            if (skipping > 0) {
                int n = Math.min(skipping, end - i);
                skipping -= n;
                i += n;
                continue;
            }
            if (headerBytes < 2) {
                expected = (expected << 8) | (in[i++] & 0xFF);
                if (++headerBytes < 2) {
                    continue;
                }
                if (expected == 0) {
                    out.malformed(0);
                    resetHeader();
                } else if (expected > frame.length) {
                    out.malformed(expected);
                    skipping = expected;
                    resetHeader();
                }
                continue;
            }
            int n = Math.min(expected - filled, end - i);
            System.arraycopy(in, i, frame, filled, n);
            filled += n;
            i += n;
            if (filled == expected) {
                int length = expected;
                resetHeader();
                out.frame(frame, 0, length);
            }
        }
    }

    /** True between frames: nothing of a partial frame is buffered. */
    public boolean idle() {
        return headerBytes == 0 && skipping == 0;
    }

    private void resetHeader() {
        headerBytes = 0;
        expected = 0;
        filled = 0;
    }

    /** Writes the 2-byte length prefix of a {@code len}-byte frame at {@code out[off]}. */
    public static void writeHeader(byte[] out, int off, int len) {
        if (len < 1 || len > 0xFFFF) {
            throw new IllegalArgumentException("an RFC 4571 frame holds 1..65535 bytes, got " + len);
        }
        out[off] = (byte) (len >>> 8);
        out[off + 1] = (byte) len;
    }
}
