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
