package io.sfufleet.console.provision;

import io.sfufleet.console.audit.AuditLog;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * Adding, trusting and removing hosts, the way the CLI and the GUI do it, each step audited.
 * Trust on first use is explicit: {@link #add} stores the host and returns the key it presents;
 * only {@link #trust} with that same fingerprint pins it, after a successful login.
 */
public final class HostService {
    private final HostStore store;
    private final SshConnector ssh;
    private final AuditLog audit;

    public HostService(HostStore store, SshConnector ssh, AuditLog audit) {
        this.store = store;
        this.ssh = ssh;
        this.audit = audit;
    }

    /** A stored host and the key it presented, which is not trusted yet. */
    public record Added(HostEntry host, HostKey presented) {
    }

    /** Stores the host, then asks it for its key (without logging in). */
    public Added add(HostStore.NewHost h) {
        HostEntry entry = audited(h.name(), "hosts.add", h.user() + "@" + h.address() + ":" + h.sshPort(),
                () -> store.add(h));
        HostKey key = audited(h.name(), "hosts.probe-key", null, () -> ssh.probe(h.address(), h.sshPort()));
        return new Added(entry, key);
    }

    /**
     * Logs in accepting exactly {@code fingerprint} and pins it. A host with a pinned key needs
     * {@code replace} to take another one: the operator has checked the change.
     */
    public HostEntry trust(String name, String fingerprint, boolean replace) {
        return audited(name, "hosts.trust", fingerprint, () -> {
            HostEntry host = store.require(name);
            if (!fingerprint.matches("SHA256:[A-Za-z0-9+/]{43}")) {
                throw new IllegalArgumentException("a fingerprint looks like SHA256: and 43 base64 characters, "
                        + "as ssh-keygen -lf prints it, not " + fingerprint);
            }
            if (host.trusted() && !host.hostKeyFingerprint().equals(fingerprint) && !replace) {
                throw new IllegalArgumentException("host " + name + " already has the pinned key "
                        + host.hostKeyFingerprint() + "; to replace it with " + fingerprint + " add --replace");
            }
            try (HostSession s = ssh.connectAccepting(host, fingerprint)) {
                // the login alone proves the credentials; whoami proves commands run
                String who = s.exec("id -un", Duration.ofSeconds(30)).require().strip();
                if (!who.equals(host.user())) {
                    throw new ProvisionException("logged in to " + name + " as " + host.user() + " but commands run as "
                            + who);
                }
                return store.pin(name, s.hostKey());
            }
        });
    }

    public boolean remove(String name) {
        return audited(name, "hosts.remove", null, () -> {
            if (!store.remove(name)) {
                throw new IllegalArgumentException("no host named " + name + " in the inventory");
            }
            return true;
        });
    }

    public List<HostEntry> list() {
        return store.list();
    }

    public HostEntry require(String name) {
        return store.require(name);
    }

    /** The preflight checklist of a trusted host, audited with its tally. */
    public List<Check> preflight(String name, PreflightSpec spec, Preflight preflight) {
        return audited(name, "hosts.preflight", "media " + spec.mediaPort() + ", api " + spec.apiPort(), () -> {
            try (HostSession s = connect(name)) {
                return preflight.run(s, spec);
            }
        }, checks -> {
            long fail = checks.stream().filter(c -> c.verdict() == Verdict.FAIL).count();
            long warn = checks.stream().filter(c -> c.verdict() == Verdict.WARN).count();
            return (fail > 0 ? "fail" : "ok") + ": " + (checks.size() - fail - warn) + " OK, " + warn + " WARN, "
                    + fail + " FAIL";
        });
    }

    /** A session to a trusted host; refuses a changed key (audited, since it may be an attack). */
    public HostSession connect(String name) {
        HostEntry host = store.require(name);
        try {
            return ssh.connect(host);
        } catch (HostKeyChangedException e) {
            audit.record(name, "hosts.connect", host.target(), "refused: " + e.getMessage());
            throw e;
        }
    }

    private <T> T audited(String name, String action, String target, Supplier<T> body) {
        return audited(name, action, target, body, r -> "ok");
    }

    private <T> T audited(String name, String action, String target, Supplier<T> body,
            java.util.function.Function<T, String> outcome) {
        T result;
        try {
            result = body.get();
        } catch (RuntimeException e) {
            audit.record(name, action, target, "error: " + e.getMessage());
            throw e;
        }
        audit.record(name, action, target, outcome.apply(result));
        return result;
    }
}
