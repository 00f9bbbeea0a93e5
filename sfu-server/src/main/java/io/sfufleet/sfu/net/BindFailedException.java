package io.sfufleet.sfu.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;

/**
 * A listener of the node could not bind its address: names which one, the address and port, the
 * protocol and the config key, so that the one line the node prints before it exits says what to
 * change. Netty's own exceptions say only "bind(..) failed: Address already in use", which on a host
 * with four listeners (and an operator reading a console's log tail) does not say which one.
 */
public final class BindFailedException extends IOException {
    private static final String IN_USE = "Address already in use";

    private final String listener;
    private final String key;
    private final InetSocketAddress address;

    private BindFailedException(String listener, String key, InetSocketAddress address, Throwable cause) {
        super(describe(listener, key, address, cause), cause);
        this.listener = listener;
        this.key = key;
        this.address = address;
    }

    /**
     * Runs {@code bind}; any failure comes out as this exception, naming the listener.
     *
     * @param listener what binds, with its protocol, e.g. "media UDP port"
     * @param key      the config key of the port, e.g. "media.udp_port"
     */
    public static <T> T binding(String listener, String key, InetSocketAddress address, Callable<T> bind)
            throws BindFailedException, InterruptedException {
        try {
            return bind.call();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            // Netty's sync() rethrows the bind's cause undeclared (a BindException with NIO, a
            // NativeIoException with epoll), hence the catch of everything
            throw new BindFailedException(listener, key, address, e);
        }
    }

    /** What binds, e.g. "media UDP port". */
    public String listener() {
        return listener;
    }

    /** The config key of the port, e.g. "media.udp_port". */
    public String key() {
        return key;
    }

    public InetSocketAddress address() {
        return address;
    }

    private static String describe(String listener, String key, InetSocketAddress address, Throwable cause) {
        String reason = String.valueOf(cause.getMessage());
        // epoll says "bind(..) failed with error(-98): Address already in use"; the errno's text is
        // the part that helps (NIO gives only that)
        int errno = reason.lastIndexOf(": ");
        if (reason.startsWith("bind(") && errno >= 0) {
            reason = reason.substring(errno + 2);
        }
        String host = address.getHostString();
        String where = (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
        return listener + " " + where + " (" + key + ") "
                + (reason.contains(IN_USE) ? "is in use" : "cannot be bound") + " (" + reason + ")";
    }
}
