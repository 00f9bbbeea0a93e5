package io.sfufleet.sfu.rtp;

import org.jitsi.utils.ByteArrayBuffer;

/**
 * A packet as a view (offset, length) over a pooled {@code byte[]}. Instances are owned by a
 * {@link PacketPool}: whoever takes one from the pool returns it with {@link PacketPool#release}
 * or hands it on. Implements jitsi-utils' {@link ByteArrayBuffer} so SRTP transforms work in place.
 */
public final class PacketBuffer implements ByteArrayBuffer {
    /** Room kept in front of the packet so a transform may grow it (SRTP tags) without copying. */
    public static final int HEADROOM = 0;

    private final byte[] buffer;
    private int offset;
    private int length;
    /** {@link System#nanoTime()} when the datagram was read from the socket; 0 if not from the socket. */
    private long receivedAtNanos;

    public PacketBuffer(int capacity) {
        this.buffer = new byte[capacity];
    }

    /** Copies {@code len} bytes from {@code src} into this buffer at offset 0. */
    public PacketBuffer set(byte[] src, int srcOff, int len) {
        if (len > buffer.length) {
            throw new IllegalArgumentException("packet of " + len + " bytes exceeds buffer capacity " + buffer.length);
        }
        System.arraycopy(src, srcOff, buffer, 0, len);
        this.offset = 0;
        this.length = len;
        return this;
    }

    /** Copies the bytes of {@code other} into this buffer. */
    public PacketBuffer copyFrom(PacketBuffer other) {
        return set(other.buffer, other.offset, other.length);
    }

    public long receivedAtNanos() {
        return receivedAtNanos;
    }

    /** Stamped by the receive path; {@link PacketPool#acquire} clears it. Not copied by {@link #copyFrom}. */
    public void setReceivedAtNanos(long nanos) {
        this.receivedAtNanos = nanos;
    }

    public int capacity() {
        return buffer.length;
    }

    @Override
    public byte[] getBuffer() {
        return buffer;
    }

    @Override
    public int getOffset() {
        return offset;
    }

    @Override
    public int getLength() {
        return length;
    }

    @Override
    public void setLength(int len) {
        if (len < 0 || offset + len > buffer.length) {
            throw new IllegalArgumentException("length " + len + " outside buffer");
        }
        this.length = len;
    }

    @Override
    public void setOffset(int off) {
        if (off < 0 || off > buffer.length) {
            throw new IllegalArgumentException("offset " + off + " outside buffer");
        }
        this.offset = off;
    }

    @Override
    public boolean isInvalid() {
        return false;
    }

    @Override
    public void readRegionToBuff(int off, int len, byte[] outBuff) {
        if (off < 0 || len < 0 || off + len > length || outBuff.length < len) {
            throw new IndexOutOfBoundsException("region " + off + "+" + len + " outside packet of " + length);
        }
        System.arraycopy(buffer, offset + off, outBuff, 0, len);
    }

    @Override
    public void grow(int howMuch) {
        if (offset + length + howMuch > buffer.length) {
            throw new IllegalStateException("cannot grow packet by " + howMuch + ": capacity " + buffer.length);
        }
    }

    @Override
    public void append(byte[] data, int len) {
        grow(len);
        System.arraycopy(data, 0, buffer, offset + length, len);
        length += len;
    }

    @Override
    public void shrink(int len) {
        if (len <= 0) {
            return;
        }
        length = Math.max(0, length - len);
    }
}
