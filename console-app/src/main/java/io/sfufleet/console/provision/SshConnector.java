package io.sfufleet.console.provision;

import io.sfufleet.console.provision.agent.AgentAuthMethod;
import io.sfufleet.console.provision.agent.AgentClient;
import io.sfufleet.console.provision.agent.AgentException;
import io.sfufleet.console.provision.agent.AgentIdentity;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.method.AuthMethod;

/**
 * Opens SSH sessions to hosts, checking the host key before anything is sent: a host whose key was
 * never accepted, or whose key changed, is refused during the key exchange, before the login.
 */
public final class SshConnector {
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Path agentSocket;

    public SshConnector(Duration connectTimeout, Duration readTimeout) {
        this(connectTimeout, readTimeout, null);
    }

    /** @param agentSocket the ssh-agent's socket for hosts that log in with {@link HostAuth#AGENT}; null if none */
    public SshConnector(Duration connectTimeout, Duration readTimeout, Path agentSocket) {
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.agentSocket = agentSocket;
    }

    /** Default timeouts, and the agent of this process's {@code SSH_AUTH_SOCK}, if set. */
    public static SshConnector withDefaults() {
        String sock = System.getenv(AgentClient.SOCK_ENV);
        return new SshConnector(Duration.ofSeconds(10), Duration.ofSeconds(60),
                sock == null || sock.isBlank() ? null : Path.of(sock));
    }

    /** The key the host presents, without logging in: what the operator is asked to accept. */
    public HostKey probe(String address, int port) {
        Verifier v = new Verifier(null, null);
        SSHClient c = client(v);
        try {
            c.connect(address, port);
            throw new IllegalStateException("the probe accepted a host key");  // cannot happen: verify says no
        } catch (IOException e) {
            if (v.seen != null) {
                return v.seen;
            }
            throw unreachable(address + ":" + port, e);
        } finally {
            closeQuietly(c);
        }
    }

    /** A logged-in session to a host whose key is pinned; refuses any other key. */
    public HostSession connect(HostEntry host) {
        if (!host.trusted()) {
            throw new HostKeyNotTrustedException("the host key of " + host.name() + " was never accepted: "
                    + "compare it with the host's (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub) and run "
                    + "sfu-console hosts trust " + host.name() + " FINGERPRINT", null);
        }
        return open(host, host.hostKeyFingerprint(), host.hostKeyType(), true);
    }

    /**
     * A logged-in session when the host presents exactly {@code fingerprint}: the operator's
     * acceptance (TOFU) of a key not yet pinned, or a checked replacement of a changed one.
     */
    public HostSession connectAccepting(HostEntry host, String fingerprint) {
        return open(host, fingerprint, null, false);
    }

    private HostSession open(HostEntry host, String fingerprint, String keyType, boolean pinned) {
        Verifier v = new Verifier(fingerprint, keyType);
        SSHClient c = client(v);
        try {
            try {
                c.connect(host.address(), host.sshPort());
            } catch (TransportException e) {
                if (v.seen != null && !v.seen.fingerprint().equals(fingerprint)) {
                    if (pinned) {
                        throw new HostKeyChangedException(host.name(), fingerprint, v.seen.fingerprint());
                    }
                    throw new HostKeyNotTrustedException("the host key of " + host.name() + " is "
                            + v.seen.fingerprint() + ", not the " + fingerprint + " given: nothing was sent; "
                            + "check the fingerprint on the host (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub)",
                            v.seen.fingerprint());
                }
                throw unreachable(host.target(), e);
            } catch (IOException e) {
                throw unreachable(host.target(), e);
            }
            login(c, host);
            return new HostSession(host, c, v.seen);
        } catch (RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    private void login(SSHClient c, HostEntry host) {
        try {
            switch (host.auth()) {
                case PASSWORD -> {
                    if (host.secret() == null) {
                        throw new ProvisionException("the SSH password of " + host.name()
                                + " cannot be read: set the console passphrase (SFU_CONSOLE_PASSPHRASE)");
                    }
                    c.authPassword(host.user(), host.secret().toCharArray());
                }
                case KEY -> {
                    KeyProvider keys;
                    try {
                        keys = host.secret() == null ? c.loadKeys(host.keyFile())
                                : c.loadKeys(host.keyFile(), host.secret().toCharArray());
                        keys.getPrivate();  // decrypts now, so a wrong passphrase is told apart from a refused key
                    } catch (IOException | RuntimeException e) {
                        throw new ProvisionException("cannot read the private key " + host.keyFile() + " of host "
                                + host.name() + ": " + e.getMessage() + " (is the file there and readable, and "
                                + (host.secret() == null ? "unencrypted? give its passphrase with --passphrase-env"
                                        : "is the stored passphrase right? remove and add the host again")
                                + ")", e);
                    }
                    c.authPublickey(host.user(), keys);
                }
                case AGENT -> loginWithAgent(c, host);
            }
        } catch (UserAuthException e) {
            throw new ProvisionException(host.name() + " refused the login of " + host.user() + " by "
                    + host.auth().name().toLowerCase(java.util.Locale.ROOT) + ": "
                    + (host.auth() == HostAuth.PASSWORD ? "check the password"
                            : host.auth() == HostAuth.AGENT ? "the SSH agent has no key the host accepts (" + e.getMessage()
                                    + "): ssh-add the key whose public half is in ~" + host.user()
                                    + "/.ssh/authorized_keys on the host (ssh-add -l lists the agent's keys)"
                            : "check that the public key of " + host.keyFile() + " is in ~" + host.user()
                                    + "/.ssh/authorized_keys on the host")
                    + "; nothing was changed on the host", e);
        } catch (TransportException e) {
            throw unreachable(host.target(), e);
        }
    }

    /** One publickey attempt per agent key, in the agent's order, until the host takes one. */
    private void loginWithAgent(SSHClient c, HostEntry host) throws UserAuthException, TransportException {
        if (agentSocket == null) {
            throw new ProvisionException(host.name() + " logs in with the SSH agent, but " + AgentClient.SOCK_ENV
                    + " is not set: start ssh-agent and add the key (eval \"$(ssh-agent)\"; ssh-add KEYFILE), then "
                    + "run the command again from that shell");
        }
        try (AgentClient agent = AgentClient.open(agentSocket, readTimeout)) {
            List<AgentIdentity> keys = agent.identities();
            if (keys.isEmpty()) {
                throw new ProvisionException("the SSH agent at " + agentSocket + " holds no keys, so " + host.name()
                        + " cannot be logged in to: ssh-add the key whose public half is in ~" + host.user()
                        + "/.ssh/authorized_keys on the host");
            }
            List<AuthMethod> methods = new ArrayList<>();
            for (AgentIdentity k : keys) {
                methods.add(new AgentAuthMethod(agent, k));
            }
            c.auth(host.user(), methods);
        } catch (AgentException e) {
            throw new ProvisionException("cannot log in to " + host.name() + " with the SSH agent: " + e.getMessage(), e);
        }
    }

    private SSHClient client(Verifier v) {
        SSHClient c = new SSHClient(new DefaultConfig());
        c.setConnectTimeout((int) connectTimeout.toMillis());
        c.setTimeout((int) readTimeout.toMillis());
        c.addHostKeyVerifier(v);
        return c;
    }

    private static ProvisionException unreachable(String target, IOException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String hint = root instanceof ConnectException ? "is sshd running there and the port right?"
                : root instanceof SocketTimeoutException ? "no answer in time: firewall or wrong address?"
                : root instanceof UnknownHostException ? "the name does not resolve"
                : root instanceof NoRouteToHostException ? "no route to the host" : "the SSH connection failed";
        return new ProvisionException("cannot reach " + target + " over SSH (" + hint + "): " + e.getMessage(), e);
    }

    static void closeQuietly(SSHClient c) {
        try {
            c.disconnect();
        } catch (IOException e) {
            // closing a connection that failed: nothing left to release
        }
    }

    /** Accepts exactly one fingerprint (none when probing) and remembers the key the host showed. */
    private static final class Verifier implements HostKeyVerifier {
        private final String expected;
        private final String keyType;
        volatile HostKey seen;

        Verifier(String expected, String keyType) {
            this.expected = expected;
            this.keyType = keyType;
        }

        @Override
        public boolean verify(String hostname, int port, PublicKey key) {
            HostKey k = HostKey.of(key);
            seen = k;
            return expected != null && expected.equals(k.fingerprint());
        }

        /** The pinned key's type first, so a host with several keys presents the pinned one. */
        @Override
        public List<String> findExistingAlgorithms(String hostname, int port) {
            return keyType == null ? List.of() : List.of(keyType);
        }
    }
}
