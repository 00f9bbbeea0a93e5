package io.sfufleet.sfu.dtls;

import java.io.InterruptedIOException;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.bouncycastle.tls.DatagramTransport;

/**
 * The client's end of an in-memory link to a {@link DtlsServerSession}: what the session sends
 * (through {@link #towardsClient()}) lands in a queue here unless {@code lose} says to drop it;
 * what the client sends goes straight into {@link DtlsServerSession#receive}, as the media loop
 * would hand it over.
 */
final class ClientTransport implements DatagramTransport {
    private final BlockingQueue<byte[]> toClient = new LinkedBlockingQueue<>();
    private final Predicate<byte[]> lose;
    volatile DtlsServerSession server;

    ClientTransport(Predicate<byte[]> lose) {
        this.lose = lose;
    }

    /** The server session's {@link DatagramSender}. */
    DatagramSender towardsClient() {
        return (data, off, len) -> {
            byte[] copy = Arrays.copyOfRange(data, off, off + len);
            if (!lose.test(copy)) {
                toClient.add(copy);
            }
        };
    }

    @Override
    public int getReceiveLimit() {
        return 1500;
    }

    @Override
    public int getSendLimit() {
        return 1200;
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws InterruptedIOException {
        try {
            byte[] d = waitMillis > 0 ? toClient.poll(waitMillis, TimeUnit.MILLISECONDS) : toClient.take();
            if (d == null) {
                return -1;
            }
            System.arraycopy(d, 0, buf, off, d.length);
            return d.length;
        } catch (InterruptedException e) {
            throw new InterruptedIOException("interrupted");
        }
    }

    @Override
    public void send(byte[] buf, int off, int len) {
        server.receive(buf, off, len);
    }

    @Override
    public void close() {
    }
}
