package io.sfufleet.console.pki;

import io.sfufleet.console.audit.AuditLog;
import io.sfufleet.console.fleet.Inventory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The console as the site's CA: create it once, show or export its certificate, issue node
 * certificates and record them. The CA's and the nodes' private keys exist in the clear only in
 * memory; in the database they are sealed with the inventory's cipher (the console passphrase),
 * each bound to what it is the key of. Every change is audited.
 */
public final class SiteCa {
    private static final String CA_PURPOSE = "pki-ca-key";

    private final CertStore store;
    private final Inventory inventory;
    private final AuditLog audit;
    private final Clock clock;
    private final SecureRandom random;

    public SiteCa(CertStore store, Inventory inventory, AuditLog audit, Clock clock, SecureRandom random) {
        this.store = store;
        this.inventory = inventory;
        this.audit = audit;
        this.clock = clock;
        this.random = random;
    }

    public CertStore store() {
        return store;
    }

    /**
     * Creates the site CA. An existing one is kept unless {@code replace}: every node certificate and
     * every trust store that holds the old CA would have to be redone.
     */
    public CertStore.CaRow create(String name, boolean replace) {
        try {
            String checked = Certificates.checkCaName(name);
            if (!inventory.canReadTokens()) {
                throw new IllegalStateException("a console passphrase is needed to create the CA: its key is kept "
                        + "encrypted with it (set SFU_CONSOLE_PASSPHRASE or use --passphrase-env)");
            }
            Optional<CertStore.CaRow> old = store.ca();
            if (old.isPresent() && !replace) {
                throw new IllegalArgumentException("this console already has a site CA (" + old.get().name()
                        + ", until " + old.get().certificate().getNotAfter().toInstant() + "); a new one invalidates "
                        + "every node certificate and every trust store entry: add --replace if that is meant");
            }
            Instant now = clock.instant();
            Certificates.Authority ca = Certificates.newCa(checked, now, random);
            byte[] sealed = inventory.sealSecret(Certificates.pem(ca.key()), CA_PURPOSE);
            store.putCa(checked, Certificates.pem(ca.certificate()), sealed, now.toEpochMilli());
            CertStore.CaRow row = store.ca().orElseThrow();
            audit.record(null, "pki.ca.create", checked, "ok: " + Certificates.sha256(row.certificate())
                    + (old.isPresent() ? " (replaced " + old.get().name() + ")" : ""));
            return row;
        } catch (RuntimeException e) {
            audit.record(null, "pki.ca.create", name, "error: " + e.getMessage());
            throw e;
        }
    }

    public Optional<CertStore.CaRow> ca() {
        return store.ca();
    }

    public CertStore.CaRow requireCa() {
        return store.ca().orElseThrow(() -> new IllegalStateException(
                "this console has no site CA yet: create one with sfu-console ca create --name \"Example SFU CA\""));
    }

    /** Issues a certificate for {@code host} with the CA's key and records it; the default validity is 397 days. */
    public NodeCert issue(String host, SubjectNames names, Duration validity) {
        try {
            if (host == null || !Inventory.NAME.matcher(host).matches()) {
                throw new IllegalArgumentException("host name must be 1 to 64 characters of [A-Za-z0-9._-], not "
                        + host);
            }
            if (names == null) {
                throw new IllegalArgumentException("a node certificate needs at least one IP address or DNS name");
            }
            CertStore.CaRow row = requireCa();
            PrivateKey caKey = Certificates.readKey(inventory.openSecret(row.keySealed(), CA_PURPOSE));
            Instant now = clock.instant();
            Certificates.Issued issued = Certificates.issue(new Certificates.Authority(row.certificate(), caKey), host,
                    names, validity == null ? Certificates.DEFAULT_NODE_VALIDITY : validity, now, random);
            String serial = Certificates.serialHex(issued.certificate());
            byte[] sealed = inventory.sealSecret(Certificates.pem(issued.key()), nodeKeyPurpose(host, serial));
            NodeCert c = store.add(host, issued.certificate(), Certificates.pem(issued.certificate()), sealed,
                    now.toEpochMilli());
            audit.record(host, "pki.cert.issue", names.text(), "ok: serial " + serial + ", until " + c.notAfter());
            return c;
        } catch (RuntimeException e) {
            audit.record(host, "pki.cert.issue", names == null ? null : names.text(), "error: " + e.getMessage());
            throw e;
        }
    }

    /** The node's private key, in PEM, for the push. */
    PrivateKey nodeKey(NodeCert c) {
        return Certificates.readKey(inventory.openSecret(store.keySealed(c.serial()), nodeKeyPurpose(c.host(),
                c.serial())));
    }

    public List<NodeCert> list() {
        return store.list();
    }

    public NodeCert latest(String host) {
        return store.latest(host).orElseThrow(() -> new IllegalArgumentException("no certificate was issued for "
                + host + ": issue one first with sfu-console certs issue " + host + " --ip ADDRESS"));
    }

    public X509Certificate caCertificate() {
        return requireCa().certificate();
    }

    private static String nodeKeyPurpose(String host, String serial) {
        return "pki-node-key:" + host + ":" + serial;
    }
}
