package io.sfufleet.console.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sfufleet.console.audit.AuditLog;
import io.sfufleet.console.fleet.Inventory;
import io.sfufleet.console.provision.NodeSpec;
import io.sfufleet.console.store.ConsoleDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The site CA and the certificates it issues, checked by the JDK's PKIX validator and by openssl. */
class SiteCaTest {
    static final Instant T0 = Instant.parse("2026-11-24T00:00:00Z");
    @TempDir
    Path tmp;
    private ConsoleDatabase db;
    private Inventory inventory;
    private AuditLog audit;

    @BeforeEach
    void setUp() {
        db = ConsoleDatabase.open(tmp.resolve("console.db"));
        inventory = Inventory.open(db, "pass".toCharArray(), Clock.systemUTC());
        audit = new AuditLog(db, Clock.systemUTC(), "tester");
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    private SiteCa ca(Instant now) {
        return new SiteCa(new CertStore(db), inventory, audit, Clock.fixed(now, ZoneOffset.UTC), new SecureRandom());
    }

    @Test
    void theCaIsAP256RootForNodesOnlyWithItsKeySealed() throws Exception {
        CertStore.CaRow row = ca(T0).create("Example SFU CA", false);
        X509Certificate c = row.certificate();
        assertThat(c.getSubjectX500Principal().getName()).isEqualTo("CN=Example SFU CA");
        assertThat(c.getIssuerX500Principal()).isEqualTo(c.getSubjectX500Principal());
        c.verify(c.getPublicKey());  // self-signed
        assertThat(c.getBasicConstraints()).as("CA:true, pathlen 0").isZero();
        boolean[] ku = c.getKeyUsage();
        assertThat(ku[5]).as("keyCertSign").isTrue();
        assertThat(ku[6]).as("cRLSign").isTrue();
        assertThat(ku[0]).as("digitalSignature").isFalse();
        assertThat(c.getCriticalExtensionOIDs()).contains("2.5.29.19", "2.5.29.15");
        assertThat(((ECPublicKey) c.getPublicKey()).getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
        assertThat(c.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(Duration.between(T0, c.getNotAfter().toInstant()).toDays()).isBetween(3652L, 3653L);

        // the key is only in the database sealed: no PEM key, no PKCS#8 bytes in the clear
        try (Statement s = db.connection().createStatement();
             ResultSet r = s.executeQuery("SELECT key_sealed FROM pki_ca")) {
            assertThat(r.next()).isTrue();
            String raw = new String(r.getBytes(1), StandardCharsets.ISO_8859_1);
            assertThat(raw).doesNotContain("PRIVATE KEY").doesNotContain("MIG");
        }
        assertThat(Files.readString(db.file(), StandardCharsets.ISO_8859_1)).doesNotContain("PRIVATE KEY");
        // exported PEM is the certificate, which openssl reads
        assertThat(row.certificatePem()).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(Certificates.readCertificate(row.certificatePem())).isEqualTo(c);

        // a second CA is refused unless replacing is meant
        assertThatThrownBy(() -> ca(T0).create("Other", false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already has a site CA").hasMessageContaining("--replace");
        assertThat(new CertStore(db).ca().orElseThrow().name()).isEqualTo("Example SFU CA");
        assertThatThrownBy(() -> ca(T0).create("bad\nname", false)).hasMessageContaining("CA name must be");
    }

    @Test
    void aNodeCertificateChainsToTheCaForItsNamesOnly() throws Exception {
        SiteCa site = ca(T0);
        X509Certificate root = site.create("Example SFU CA", false).certificate();
        NodeCert rec = site.issue("edge-1", new SubjectNames(List.of("127.0.30.2", "2001:db8::10"),
                List.of("Edge-1.Example.org")), null);
        X509Certificate leaf = rec.certificate();

        // the JDK's PKIX validator, trusting only the site CA, at a time inside the validity
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
        params.setRevocationEnabled(false);
        params.setDate(Date.from(T0.plus(Duration.ofDays(10))));
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), params);
        // ... and not after it ends
        params.setDate(Date.from(T0.plus(Duration.ofDays(398))));
        assertThatThrownBy(() -> CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), params))
                .isInstanceOf(CertPathValidatorException.class);

        assertThat(CertStore.names(leaf).ips()).containsExactly("127.0.30.2", "2001:db8:0:0:0:0:0:10");
        assertThat(CertStore.names(leaf).dnsNames()).containsExactly("edge-1.example.org");
        assertThat(leaf.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");  // serverAuth
        boolean[] ku = leaf.getKeyUsage();
        assertThat(ku[0]).as("digitalSignature").isTrue();
        assertThat(ku[5]).as("keyCertSign").isFalse();
        assertThat(leaf.getBasicConstraints()).as("not a CA").isEqualTo(-1);
        assertThat(leaf.getSerialNumber().bitLength()).isBetween(100, 128);
        assertThat(Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant()))
                .isEqualTo(Duration.ofDays(397).plus(Certificates.BACKDATE));

        // recorded with what certs list shows
        assertThat(rec.host()).isEqualTo("edge-1");
        assertThat(rec.serial()).isEqualTo(leaf.getSerialNumber().toString(16));
        assertThat(rec.names().text()).isEqualTo("IP:127.0.30.2,IP:2001:db8:0:0:0:0:0:10,DNS:edge-1.example.org");
        assertThat(rec.notAfter()).isEqualTo(leaf.getNotAfter().toInstant());
        assertThat(rec.sha256()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
        assertThat(rec.pushedAtMillis()).isNull();
        assertThat(rec.daysLeft(T0)).isEqualTo(397);
        assertThat(rec.daysLeft(T0.plusSeconds(1))).isEqualTo(396);
        assertThat(site.list()).singleElement().isEqualTo(rec);
        // the node key opens and belongs to the certificate
        var key = site.nodeKey(rec);
        var sig = java.security.Signature.getInstance("SHA256withECDSA");
        sig.initSign(key);
        sig.update(new byte[] {1, 2, 3});
        byte[] signed = sig.sign();
        sig.initVerify(leaf.getPublicKey());
        sig.update(new byte[] {1, 2, 3});
        assertThat(sig.verify(signed)).isTrue();
        // a second certificate gets another serial
        assertThat(site.issue("edge-1", new SubjectNames(List.of("127.0.30.2"), List.of()), Duration.ofDays(30))
                .serial()).isNotEqualTo(rec.serial());
        assertThat(audit.latest(10).stream().map(e -> e.action() + " " + e.result().split(":")[0]))
                .contains("pki.ca.create ok", "pki.cert.issue ok");
    }

    @Test
    void opensslVerifyAgrees() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is not installed");
        Instant now = Instant.now();
        SiteCa site = ca(now);
        X509Certificate root = site.create("Example SFU CA", false).certificate();
        NodeCert rec = site.issue("edge-1", new SubjectNames(List.of("127.0.30.2"), List.of("edge-1.example.org")),
                null);
        Path caFile = Files.writeString(tmp.resolve("ca.crt"), Certificates.pem(root));
        Path leafFile = Files.writeString(tmp.resolve("node.crt"), rec.certificatePem());
        assertThat(openssl("verify", "-CAfile", caFile.toString(), "-purpose", "sslserver", "-verify_ip", "127.0.30.2",
                leafFile.toString())).startsWith("0:").contains(": OK");
        assertThat(openssl("verify", "-CAfile", caFile.toString(), "-verify_hostname", "edge-1.example.org",
                leafFile.toString())).startsWith("0:");
        assertThat(openssl("verify", "-CAfile", caFile.toString(), "-verify_ip", "127.0.30.3", leafFile.toString()))
                .as("an address not in the certificate").doesNotStartWith("0:");
        // another CA of the same name does not vouch for it
        Path otherCa = Files.writeString(tmp.resolve("other.crt"), Certificates.pem(
                Certificates.newCa("Example SFU CA", now, new SecureRandom()).certificate()));
        assertThat(openssl("verify", "-CAfile", otherCa.toString(), leafFile.toString())).doesNotStartWith("0:");
        // the key file is the PKCS#8 PEM Netty reads, and matches the certificate
        Path keyFile = Files.writeString(tmp.resolve("node.key"), Certificates.pem(site.nodeKey(rec)));
        assertThat(Files.readString(keyFile)).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(openssl("pkey", "-in", keyFile.toString(), "-pubout").split(":", 2)[1])
                .isEqualTo(openssl("x509", "-in", leafFile.toString(), "-noout", "-pubkey").split(":", 2)[1]);
    }

    /** Exit status, a colon, then the output. */
    private static String openssl(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return p.exitValue() + ":" + out;
    }

    @Test
    void badInputIsRefusedWithWhatToDo() {
        SiteCa site = ca(T0);
        assertThatThrownBy(() -> site.issue("edge-1", new SubjectNames(List.of("127.0.30.2"), List.of()), null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no site CA yet")
                .hasMessageContaining("ca create");
        site.create("Example SFU CA", false);
        assertThatThrownBy(() -> new SubjectNames(List.of(), List.of())).hasMessageContaining("at least one IP address");
        assertThatThrownBy(() -> new SubjectNames(null, null)).hasMessageContaining("--ip ADDRESS, --dns NAME");
        for (String bad : List.of("1.2.3", "999.1.1.1", "10.0.0.1.5", "edge-1", "::g", "")) {
            assertThatThrownBy(() -> new SubjectNames(List.of(bad), List.of())).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageMatching("(?s)(not an IP address|an empty).*");
        }
        for (String bad : List.of("a_b.example.org", "-edge.example.org", "*.example.org", "edge..org", "10.0.0.1",
                "x".repeat(64) + ".org")) {
            assertThatThrownBy(() -> new SubjectNames(List.of(), List.of(bad))).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a DNS host name");
        }
        assertThatThrownBy(() -> site.issue("bad name", new SubjectNames(List.of("127.0.30.2"), List.of()), null))
                .hasMessageContaining("host name must be");
        assertThatThrownBy(() -> site.issue("edge-1", new SubjectNames(List.of("127.0.30.2"), List.of()),
                Duration.ofDays(398))).hasMessageContaining("1 to 397 days");
        // a CA near its end: nothing may outlive it; after its end nothing is issued at all
        Instant nearEnd = T0.plus(Duration.ofDays(3653 - 10));
        assertThatThrownBy(() -> ca(nearEnd).issue("edge-1", new SubjectNames(List.of("127.0.30.2"), List.of()), null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("give --days 10 or less");
        assertThatThrownBy(() -> ca(T0.plus(Duration.ofDays(3654))).issue("edge-1",
                new SubjectNames(List.of("127.0.30.2"), List.of()), null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("the site CA expired")
                .hasMessageContaining("ca create");
        assertThat(new CertStore(db).list()).as("nothing recorded by a refused issue").isEmpty();
        assertThat(audit.latest(1).getFirst().result()).startsWith("error: the site CA expired");
    }

    @Test
    void noPassphraseNoCa() {
        Inventory locked = Inventory.open(db, null, Clock.systemUTC());
        SiteCa site = new SiteCa(new CertStore(db), locked, audit, Clock.systemUTC(), new SecureRandom());
        assertThatThrownBy(() -> site.create("Example SFU CA", false)).hasMessageContaining("passphrase");
        assertThat(new CertStore(db).ca()).isEmpty();
    }

    @Test
    void tlsPathsRenderIntoTheNodeConfigAndReadBack() {
        NodeSpec plain = new NodeSpec("edge-1", "127.0.30.2", 40000, 8080, 8045, "127.0.30.2", "127.0.30.2");
        // the file is rendered from the shared config model: every key, the TLS ones empty (plain HTTP)
        var plainValues = io.sfufleet.model.config.ConfigReader.defaults().text(plain.toml(), "plain");
        assertThat(plainValues.problems()).isEmpty();
        assertThat(plainValues.value(io.sfufleet.model.config.ConfigKey.HTTP_TLS_CERT_FILE)).isEqualTo("");
        assertThat(plainValues.value(io.sfufleet.model.config.ConfigKey.API_TLS_KEY_FILE)).isEqualTo("");
        assertThat(InstalledConfig.parse("edge-1", plain.toml())).isEqualTo(plain);
        NodeSpec tls = plain.withTls("/opt/sfu/etc/tls/node.crt", "/opt/sfu/etc/tls/node.key");
        assertThat(tls.apiUrl()).isEqualTo("https://127.0.30.2:8045");
        var tlsValues = io.sfufleet.model.config.ConfigReader.defaults().text(tls.toml(), "tls");
        assertThat(tlsValues.problems()).isEmpty();
        for (var key : java.util.List.of(io.sfufleet.model.config.ConfigKey.HTTP_TLS_CERT_FILE,
                io.sfufleet.model.config.ConfigKey.API_TLS_CERT_FILE)) {
            assertThat(tlsValues.value(key)).as(key.key()).isEqualTo("/opt/sfu/etc/tls/node.crt");
        }
        for (var key : java.util.List.of(io.sfufleet.model.config.ConfigKey.HTTP_TLS_KEY_FILE,
                io.sfufleet.model.config.ConfigKey.API_TLS_KEY_FILE)) {
            assertThat(tlsValues.value(key)).as(key.key()).isEqualTo("/opt/sfu/etc/tls/node.key");
        }
        assertThat(InstalledConfig.parse("edge-1", tls.toml())).as("a renewal re-renders the same node").isEqualTo(plain);
        assertThatThrownBy(() -> plain.withTls("/a/node.crt", null)).hasMessageContaining("go together");
        assertThatThrownBy(() -> plain.withTls("/a/\"x", "/a/k")).hasMessageContaining("absolute paths");
        assertThatThrownBy(() -> InstalledConfig.parse("edge-1", "[node]\nname = \"x\"\n"))
                .hasMessageContaining("not one this console wrote").hasMessageContaining("sfu-console install");
    }
}
