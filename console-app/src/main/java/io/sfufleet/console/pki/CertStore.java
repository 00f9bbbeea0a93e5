package io.sfufleet.console.pki;

import io.sfufleet.console.store.ConsoleDatabase;
import java.security.cert.X509Certificate;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code pki_ca} and {@code pki_certs} tables. Private keys arrive here already sealed with the
 * inventory's cipher; this class never sees them in the clear. Every statement holds the database's
 * monitor, like the other stores (one shared connection).
 */
public final class CertStore {
    private static final String COLUMNS = "id, host, serial, sans, not_before_millis, not_after_millis, sha256, "
            + "cert_pem, issued_at_millis, pushed_at_millis";
    private final ConsoleDatabase db;

    public CertStore(ConsoleDatabase db) {
        this.db = db;
    }

    /** The CA's public half: name, certificate, when it was made. */
    public record CaRow(String name, X509Certificate certificate, String certificatePem, byte[] keySealed,
            long createdAtMillis) {
    }

    public Optional<CaRow> ca() {
        synchronized (db) {
            try (PreparedStatement s = db.connection().prepareStatement(
                    "SELECT name, cert_pem, key_sealed, created_at_millis FROM pki_ca WHERE id = 1");
                 ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                String pem = r.getString(2);
                return Optional.of(new CaRow(r.getString(1), Certificates.readCertificate(pem), pem, r.getBytes(3),
                        r.getLong(4)));
            } catch (SQLException e) {
                throw db.failure("read the site CA", e);
            }
        }
    }

    /** The roots the console trusts besides the system's: the site CA's certificate, when there is one. */
    public List<X509Certificate> roots() {
        return ca().map(c -> List.of(c.certificate())).orElse(List.of());
    }

    /** Stores the CA, replacing the one there (the caller checked that replacing is meant). */
    public void putCa(String name, String certPem, byte[] keySealed, long createdAtMillis) {
        synchronized (db) {
            try (PreparedStatement s = db.connection().prepareStatement(
                    "INSERT INTO pki_ca (id, name, cert_pem, key_sealed, created_at_millis) VALUES (1, ?, ?, ?, ?) "
                            + "ON CONFLICT (id) DO UPDATE SET name = excluded.name, cert_pem = excluded.cert_pem, "
                            + "key_sealed = excluded.key_sealed, created_at_millis = excluded.created_at_millis")) {
                s.setString(1, name);
                s.setString(2, certPem);
                s.setBytes(3, keySealed);
                s.setLong(4, createdAtMillis);
                s.executeUpdate();
            } catch (SQLException e) {
                throw db.failure("store the site CA", e);
            }
        }
    }

    public NodeCert add(String host, X509Certificate c, String certPem, byte[] keySealed, long issuedAtMillis) {
        synchronized (db) {
            try (PreparedStatement s = db.connection().prepareStatement(
                    "INSERT INTO pki_certs (host, serial, sans, not_before_millis, not_after_millis, sha256, cert_pem,"
                            + " key_sealed, issued_at_millis) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                s.setString(1, host);
                s.setString(2, Certificates.serialHex(c));
                s.setString(3, names(c).text());
                s.setLong(4, c.getNotBefore().getTime());
                s.setLong(5, c.getNotAfter().getTime());
                s.setString(6, Certificates.sha256(c));
                s.setString(7, certPem);
                s.setBytes(8, keySealed);
                s.setLong(9, issuedAtMillis);
                s.executeUpdate();
            } catch (SQLException e) {
                throw db.failure("record the certificate of " + host, e);
            }
            return bySerial(Certificates.serialHex(c)).orElseThrow();
        }
    }

    public void markPushed(String serial, long atMillis) {
        synchronized (db) {
            try (PreparedStatement s = db.connection().prepareStatement(
                    "UPDATE pki_certs SET pushed_at_millis = ? WHERE serial = ?")) {
                s.setLong(1, atMillis);
                s.setString(2, serial);
                s.executeUpdate();
            } catch (SQLException e) {
                throw db.failure("mark certificate " + serial + " as pushed", e);
            }
        }
    }

    public byte[] keySealed(String serial) {
        synchronized (db) {
            try (PreparedStatement s = db.connection().prepareStatement(
                    "SELECT key_sealed FROM pki_certs WHERE serial = ?")) {
                s.setString(1, serial);
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next()) {
                        throw new IllegalArgumentException("no certificate with serial " + serial);
                    }
                    return r.getBytes(1);
                }
            } catch (SQLException e) {
                throw db.failure("read the key of certificate " + serial, e);
            }
        }
    }

    /** Every certificate, newest first per host. */
    public List<NodeCert> list() {
        return query("SELECT " + COLUMNS + " FROM pki_certs ORDER BY host, issued_at_millis DESC, id DESC");
    }

    /** The newest certificate issued for {@code host}. */
    public Optional<NodeCert> latest(String host) {
        return query("SELECT " + COLUMNS + " FROM pki_certs WHERE host = ? ORDER BY issued_at_millis DESC, id DESC "
                + "LIMIT 1", host).stream().findFirst();
    }

    /** Per host, the certificate pushed last: the one the node serves. */
    public List<NodeCert> installed() {
        return query("SELECT " + COLUMNS + " FROM pki_certs c WHERE pushed_at_millis IS NOT NULL AND pushed_at_millis ="
                + " (SELECT MAX(pushed_at_millis) FROM pki_certs WHERE host = c.host) ORDER BY host");
    }

    public Optional<NodeCert> bySerial(String serial) {
        return query("SELECT " + COLUMNS + " FROM pki_certs WHERE serial = ?", serial).stream().findFirst();
    }

    private List<NodeCert> query(String sql, String... args) {
        synchronized (db) {
            try (PreparedStatement s = db.connection().prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    s.setString(i + 1, args[i]);
                }
                try (ResultSet r = s.executeQuery()) {
                    List<NodeCert> out = new ArrayList<>();
                    while (r.next()) {
                        long pushed = r.getLong(10);
                        Long pushedAt = r.wasNull() ? null : pushed;
                        out.add(new NodeCert(r.getLong(1), r.getString(2), r.getString(3),
                                SubjectNames.parse(r.getString(4)), Instant.ofEpochMilli(r.getLong(5)),
                                Instant.ofEpochMilli(r.getLong(6)), r.getString(7), r.getString(8), r.getLong(9),
                                pushedAt));
                    }
                    return out;
                }
            } catch (SQLException e) {
                throw db.failure("read node certificates", e);
            }
        }
    }

    /** The names in a certificate's subjectAltName, back from the certificate itself. */
    static SubjectNames names(X509Certificate c) {
        List<String> ips = new ArrayList<>();
        List<String> dns = new ArrayList<>();
        try {
            var sans = c.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    int type = (Integer) san.get(0);
                    if (type == 7) {
                        ips.add((String) san.get(1));
                    } else if (type == 2) {
                        dns.add((String) san.get(1));
                    }
                }
            }
        } catch (java.security.cert.CertificateParsingException e) {
            throw new IllegalArgumentException("unreadable subjectAltName: " + e.getMessage(), e);
        }
        return new SubjectNames(ips, dns);
    }
}
