package io.sfufleet.sfu.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;
import io.sfufleet.sfu.rtp.PacketBuffer;
import java.net.InetSocketAddress;

/** Sends on the media UDP channel; writes from the media loop are flushed once per read batch. */
public final class UdpPacketSink implements PacketSink {
    private volatile Channel channel;
    private boolean pending;
    // LongAdder: the DTLS handshake threads send too
    private final java.util.concurrent.atomic.LongAdder packetsOut = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder bytesOut = new java.util.concurrent.atomic.LongAdder();

    public long packetsOut() {
        return packetsOut.sum();
    }

    public long bytesOut() {
        return bytesOut.sum();
    }

    public void attach(Channel channel) {
        this.channel = channel;
    }

    @Override
    public void send(PacketBuffer packet, InetSocketAddress to) {
        sendBytes(packet.getBuffer(), packet.getOffset(), packet.getLength(), to);
    }

    void sendBytes(byte[] data, int off, int len, InetSocketAddress to) {
        Channel ch = channel;
        if (ch == null || to == null) {
            return;
        }
        ByteBuf buf = ch.alloc().directBuffer(len);
        buf.writeBytes(data, off, len);
        ch.write(new DatagramPacket(buf, to), ch.voidPromise());
        pending = true;
        packetsOut.increment();
        bytesOut.add(len);
    }

    @Override
    public void sendNow(byte[] data, int off, int len, InetSocketAddress to) {
        Channel ch = channel;
        if (ch == null || to == null) {
            return;
        }
        ByteBuf buf = ch.alloc().directBuffer(len);
        buf.writeBytes(data, off, len);
        ch.writeAndFlush(new DatagramPacket(buf, to), ch.voidPromise());
        packetsOut.increment();
        bytesOut.add(len);
    }

    @Override
    public void flush() {
        Channel ch = channel;
        if (pending && ch != null) {
            pending = false;
            ch.flush();
        }
    }
}
