package io.sfufleet.console.provision.agent;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A client of the ssh-agent protocol (draft-miller-ssh-agent) over the agent's Unix domain socket:
 * list the keys, have one sign. The private keys never leave the agent. Every answer is read with a
 * deadline and a size limit, so a stuck or hostile socket cannot hang or exhaust the console.
 */
public final class AgentClient implements AutoCloseable {
    /** The variable OpenSSH's ssh-agent prints, naming its socket. */
    public static final String SOCK_ENV = "SSH_AUTH_SOCK";

    static final byte SSH_AGENT_FAILURE = 5;
    static final byte SSH_AGENTC_REQUEST_IDENTITIES = 11;
    static final byte SSH_AGENT_IDENTITIES_ANSWER = 12;
    static final byte SSH_AGENTC_SIGN_REQUEST = 13;
    static final byte SSH_AGENT_SIGN_RESPONSE = 14;
    static final int SSH_AGENT_RSA_SHA2_256 = 2;
    static final int SSH_AGENT_RSA_SHA2_512 = 4;
    /** OpenSSH's own limit for an agent message (AGENT_MAX_LEN). */
    static final int MAX_MESSAGE = 256 * 1024;
    /** More keys than any agent sensibly holds; a count above it is a broken answer. */
    static final int MAX_KEYS = 1024;

    private final Path socket;
    private final SocketChannel channel;
    private final Selector selector;
    private final Duration timeout;

    private AgentClient(Path socket, SocketChannel channel, Selector selector, Duration timeout) {
        this.socket = socket;
        this.channel = channel;
        this.selector = selector;
        this.timeout = timeout;
    }

    /** Connects to the agent named by {@code SSH_AUTH_SOCK} in {@code env}. */
    public static AgentClient fromEnvironment(Map<String, String> env, Duration timeout) {
        String sock = env.get(SOCK_ENV);
        if (sock == null || sock.isBlank()) {
            throw new AgentException(SOCK_ENV + " is not set, so there is no SSH agent to log in with: start one "
                    + "and add the key (eval \"$(ssh-agent)\"; ssh-add ~/.ssh/id_ed25519), or use --auth key");
        }
        return open(Path.of(sock), timeout);
    }

    public static AgentClient open(Path socket, Duration timeout) {
        if (!Files.exists(socket)) {
            throw new AgentException("no SSH agent socket at " + socket + " (" + SOCK_ENV
                    + " names a socket that is gone: is ssh-agent still running?)");
        }
        SocketChannel ch = null;
        try {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.configureBlocking(false);
            Selector sel = Selector.open();
            ch.register(sel, SelectionKey.OP_READ);
            return new AgentClient(socket, ch, sel, timeout);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new AgentException("cannot connect to the SSH agent at " + socket + ": " + e.getMessage()
                    + " (is ssh-agent running, and is " + SOCK_ENV + " its socket?)", e);
        }
    }

    /** The keys the agent holds, in its order; empty when none was added. */
    public List<AgentIdentity> identities() {
        ByteBuffer answer = request(new byte[] {SSH_AGENTC_REQUEST_IDENTITIES});
        byte type = answer.get();
        if (type != SSH_AGENT_IDENTITIES_ANSWER) {
            throw new AgentException("the SSH agent at " + socket + " answered the key list request with message "
                    + type + " instead of " + SSH_AGENT_IDENTITIES_ANSWER);
        }
        int n = readInt(answer);
        if (n < 0 || n > MAX_KEYS) {
            throw new AgentException("the SSH agent at " + socket + " claims " + Integer.toUnsignedString(n) + " keys");
        }
        List<AgentIdentity> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] blob = readString(answer);
            String comment = new String(readString(answer), StandardCharsets.UTF_8);
            out.add(new AgentIdentity(blob, comment));
        }
        return out;
    }

    /**
     * Has the agent sign {@code data} with {@code key}; returns the SSH signature blob (string
     * algorithm, string signature), ready for a publickey login. RSA keys are asked for
     * rsa-sha2-512.
     */
    public byte[] sign(AgentIdentity key, byte[] data) {
        byte[] blob = key.blob();
        ByteBuffer req = ByteBuffer.allocate(1 + 4 + blob.length + 4 + data.length + 4);
        req.put(SSH_AGENTC_SIGN_REQUEST).putInt(blob.length).put(blob).putInt(data.length).put(data)
                .putInt(key.rsa() ? SSH_AGENT_RSA_SHA2_512 : 0);
        ByteBuffer answer = request(req.array());
        byte type = answer.get();
        if (type == SSH_AGENT_FAILURE) {
            throw new AgentException("the SSH agent at " + socket + " refused to sign with " + key
                    + " (a key that asks for confirmation was declined, or it was removed meanwhile)");
        }
        if (type != SSH_AGENT_SIGN_RESPONSE) {
            throw new AgentException("the SSH agent at " + socket + " answered the sign request with message " + type);
        }
        return readString(answer);
    }

    private ByteBuffer request(byte[] message) {
        try {
            ByteBuffer out = ByteBuffer.allocate(4 + message.length).putInt(message.length).put(message).flip();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (out.hasRemaining()) {
                // the agent reads small messages at once; a full socket buffer here means it is stuck
                if (channel.write(out) == 0) {
                    waitFor(deadline, "take the request");
                }
            }
            ByteBuffer len = ByteBuffer.allocate(4);
            fill(len, deadline);
            int n = len.flip().getInt();
            if (n < 1 || n > MAX_MESSAGE) {
                throw new AgentException("the SSH agent at " + socket + " sent a message of " + Integer.toUnsignedString(n)
                        + " bytes (at most " + MAX_MESSAGE + " are accepted): is that socket an ssh-agent?");
            }
            ByteBuffer body = ByteBuffer.allocate(n);
            fill(body, deadline);
            return body.flip();
        } catch (IOException e) {
            throw new AgentException("the SSH agent at " + socket + " failed: " + e.getMessage(), e);
        }
    }

    private void fill(ByteBuffer b, long deadline) throws IOException {
        while (b.hasRemaining()) {
            int r = channel.read(b);
            if (r < 0) {
                throw new AgentException("the SSH agent at " + socket + " closed the connection mid-answer");
            }
            if (r == 0) {
                waitFor(deadline, "answer");
            }
        }
    }

    private void waitFor(long deadline, String what) throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new AgentException("the SSH agent at " + socket + " did not " + what + " within "
                    + timeout.toMillis() + " ms (is it stuck, or waiting for a confirmation?)");
        }
        SelectionKey k = channel.keyFor(selector);
        k.interestOps(what.equals("answer") ? SelectionKey.OP_READ : SelectionKey.OP_WRITE);
        selector.select(Math.max(1, left / 1_000_000));
        selector.selectedKeys().clear();
    }

    private byte[] readString(ByteBuffer b) {
        int n = readInt(b);
        if (n < 0 || n > b.remaining()) {
            throw new AgentException("the SSH agent at " + socket + " sent a malformed answer (a field of "
                    + Integer.toUnsignedString(n) + " bytes in " + b.remaining() + ")");
        }
        byte[] out = new byte[n];
        b.get(out);
        return out;
    }

    private int readInt(ByteBuffer b) {
        if (b.remaining() < 4) {
            throw new AgentException("the SSH agent at " + socket + " sent a truncated answer");
        }
        return b.getInt();
    }

    @Override
    public void close() {
        try {
            selector.close();
        } catch (IOException e) {
            // nothing registered outlives the channel
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(SocketChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                // closing a socket that failed to connect
            }
        }
    }
}
