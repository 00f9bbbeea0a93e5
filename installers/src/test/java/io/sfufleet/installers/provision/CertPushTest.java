package io.sfufleet.installers.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sfufleet.console.fleet.NodeEntry;
import io.sfufleet.console.node.ApiJson;
import io.sfufleet.console.node.NodeClient;
import io.sfufleet.console.node.NodeUnreachableException;
import io.sfufleet.console.node.SiteTrust;
import io.sfufleet.console.pki.CertPusher;
import io.sfufleet.console.pki.CertStore;
import io.sfufleet.console.pki.Certificates;
import io.sfufleet.console.pki.NodeCert;
import io.sfufleet.console.pki.SiteCa;
import io.sfufleet.console.pki.SubjectNames;
import io.sfufleet.console.provision.HostAuth;
import io.sfufleet.console.provision.HostSession;
import io.sfufleet.console.provision.HostStore;
import io.sfufleet.console.provision.NodeSpec;
import io.sfufleet.console.provision.ProvisionException;
import io.sfufleet.console.provision.TestUser;
import io.sfufleet.console.provision.config.ConfigService;
import io.sfufleet.console.provision.config.NodeConfig;
import io.sfufleet.model.config.ConfigKey;
import io.sfufleet.installers.TestBundles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The site CA's certificate pushed to a node installed from the real bundle over a real sshd on
 * 127.0.30.2: the node then serves HTTPS (admin API and client port) with the leaf and the CA,
 * the console reads it trusting the site CA, a client that does not is refused, the key is 0600;
 * a renewal over a non-root sudo login, and a renewal that never becomes ready is put back.
 */
class CertPushTest {
    private static final String ADDRESS = "127.0.30.2";
    @TempDir
    Path tmp;
    private TestFleet f;

    @BeforeEach
    void setUp() {
        f = TestFleet.onSshd(tmp);
    }

    @AfterEach
    void tearDown() throws Exception {
        TestFleet.closeIfMade(f);
    }

    private SiteCa siteCa() {
        return new SiteCa(new CertStore(f.db), f.inventory, f.audit, Clock.systemUTC(), new SecureRandom());
    }

    private CertPusher pusher(Duration readyTimeout) {
        return new CertPusher(siteCa(), f.configs(readyTimeout), f.inventory, f.audit, f.http, readyTimeout, Clock.systemUTC());
    }

    /** An OkHttp client that trusts the site CA and nothing else. */
    private OkHttpClient trustingOnly(X509Certificate ca) throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        ks.setCertificateEntry("site", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        X509TrustManager tm = (X509TrustManager) tmf.getTrustManagers()[0];
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, new javax.net.ssl.TrustManager[] {tm}, null);
        return f.http.newBuilder().sslSocketFactory(ssl.getSocketFactory(), tm).build();
    }

    private static List<Certificate> servedChain(OkHttpClient client, String url) throws Exception {
        try (Response r = client.newCall(new Request.Builder().url(url).build()).execute()) {
            return r.handshake().peerCertificates();
        }
    }

    @Test
    void pushSwitchesTheNodeToHttpsWithTheSiteChainAndRenewalsKeepItServing() throws Exception {
        NodeSpec spec = f.install("edge-tls", f.host("edge-tls", ADDRESS));
        // a key set with config set (not pushed yet) must survive the certificate push
        ConfigService configs = f.configs(Duration.ofMinutes(3));
        configs.set("edge-tls", List.of("limits.max_calls=7"));
        assertThat(f.inventory.require("edge-tls").apiUrl()).startsWith("http://");
        SiteCa ca = siteCa();
        X509Certificate root = ca.create("Test Site CA", false).certificate();

        // a certificate that does not name the node's address is refused before anything is written
        ca.issue("edge-tls", new SubjectNames(List.of("127.0.30.9"), List.of()), null);
        try (HostSession s = f.hosts.connect("edge-tls")) {
            assertThatThrownBy(() -> pusher(Duration.ofMinutes(3)).push(s, st -> { }))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reaches the node at " + ADDRESS)
                    .hasMessageContaining("--ip");
        }
        Path prefix = f.prefix("edge-tls");
        assertThat(prefix.resolve("etc/tls/node.key")).doesNotExist();

        NodeCert first = ca.issue("edge-tls", new SubjectNames(List.of(ADDRESS), List.of("edge-tls.example.org")), null);
        List<String> stages = new ArrayList<>();
        long t0 = System.nanoTime();
        CertPusher.Result pushed;
        try (HostSession s = f.hosts.connect("edge-tls")) {
            pushed = pusher(Duration.ofMinutes(3)).push(s, stages::add);
        }
        long pushMillis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(stages).containsExactly("config", "upload", "restart", "ready");
        assertThat(pushed.renewal()).isFalse();
        String apiUrl = "https://" + ADDRESS + ":" + spec.apiPort();
        assertThat(pushed.apiUrl()).isEqualTo(apiUrl);
        assertThat(f.inventory.require("edge-tls").apiUrl()).isEqualTo(apiUrl);
        assertThat(new CertStore(f.db).installed()).singleElement().satisfies(c -> {
            assertThat(c.serial()).isEqualTo(first.serial());
            assertThat(c.pushedAtMillis()).isNotNull();
        });

        // on the host: the key 0600 and root's (the supervised node runs as root), the chain, the config
        Path key = prefix.resolve("etc/tls/node.key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(Files.getOwner(key).getName()).isEqualTo("root");
        String chain = Files.readString(prefix.resolve("etc/tls/node.crt"));
        assertThat(chain.split("-----BEGIN CERTIFICATE-----", -1)).hasSize(3);
        assertThat(Files.readString(prefix.resolve("etc/sfu.toml")))
                .contains("tls_cert_file = \"" + prefix + "/etc/tls/node.crt\"");
        assertThat(prefix.resolve("etc/tls/node.crt.prev")).doesNotExist();
        assertThat(prefix.resolve("etc/sfu.toml.prev")).doesNotExist();
        // the push went through the desired config: the config set key is on the host, the TLS keys are
        // desired, and drift finds the file as the console wrote it (a later config push keeps TLS)
        NodeConfig onHost = NodeConfig.parse(Files.readString(prefix.resolve("etc/sfu.toml")), "the host's file");
        assertThat(onHost.value(ConfigKey.LIMITS_MAX_CALLS)).isEqualTo(7L);
        assertThat(configs.desired("edge-tls")).isEqualTo(onHost);
        assertThat(configs.desired("edge-tls").value(ConfigKey.API_TLS_KEY_FILE)).isEqualTo(prefix + "/etc/tls/node.key");
        assertThat(configs.drift(List.of("edge-tls"))).singleElement()
                .satisfies(d -> assertThat(d.status()).isEqualTo(ConfigService.DriftStatus.IN_SYNC));

        // /readyz over HTTPS, trusting only the site CA: the chain is the leaf and then the CA
        OkHttpClient onlySite = trustingOnly(root);
        NodeEntry n = f.inventory.require("edge-tls");
        try (Response r = onlySite.newCall(new Request.Builder().url(apiUrl + "/readyz")
                .header("Authorization", "Bearer " + n.token()).build()).execute()) {
            assertThat(r.code()).isIn(200, 503);
            List<Certificate> served = r.handshake().peerCertificates();
            assertThat(served).hasSize(2);
            assertThat(Certificates.sha256((X509Certificate) served.get(0))).isEqualTo(first.sha256());
            assertThat(served.get(1)).isEqualTo(root);
        }
        // the client port (WSS) serves the same certificate
        assertThat(Certificates.sha256((X509Certificate) servedChain(onlySite, "https://" + ADDRESS + ":"
                + spec.httpPort() + "/").getFirst())).isEqualTo(first.sha256());

        // the console's NodeClient over https with only the site CA as an extra root
        NodeClient console = new NodeClient(onlySite, NodeClient.parseBaseUrl(n.apiUrl()), n.token(), ApiJson.newMapper());
        assertThat(console.nodeInfo().nodeName()).isEqualTo("edge-tls");
        NodeClient consoleWithSystemCas = new NodeClient(SiteTrust.trusting(f.http, List.of(root)),
                NodeClient.parseBaseUrl(n.apiUrl()), n.token(), ApiJson.newMapper());
        assertThat(readyWithin(consoleWithSystemCas, Duration.ofSeconds(60))).isTrue();
        // a client that does not trust the site CA is refused
        NodeClient stranger = new NodeClient(f.http, NodeClient.parseBaseUrl(n.apiUrl()), n.token(), ApiJson.newMapper());
        assertThatThrownBy(stranger::nodeInfo).isInstanceOf(NodeUnreachableException.class)
                .hasRootCauseInstanceOf(java.security.cert.CertPathBuilderException.class)
                .cause().isInstanceOf(SSLHandshakeException.class);
        // the live event stream (WSS) too, and not for a client without the site CA
        assertThat(openEvents(SiteTrust.trusting(f.http, List.of(root)), n)).isEqualTo("opened");
        assertThat(openEvents(f.http, n)).startsWith("closed: SSLHandshakeException");
        // host names are still checked: the same node under a name its certificate has is fine, another is refused
        OkHttpClient named = onlySite.newBuilder().dns(host -> List.of(java.net.InetAddress.ofLiteral(ADDRESS))).build();
        assertThat(new NodeClient(named, NodeClient.parseBaseUrl("https://edge-tls.example.org:" + spec.apiPort()),
                n.token(), ApiJson.newMapper()).nodeInfo().nodeName()).isEqualTo("edge-tls");
        NodeClient wrongName = new NodeClient(named, NodeClient.parseBaseUrl("https://other.example.org:"
                + spec.apiPort()), n.token(), ApiJson.newMapper());
        assertThatThrownBy(wrongName::nodeInfo).isInstanceOf(NodeUnreachableException.class)
                .cause().isInstanceOf(javax.net.ssl.SSLPeerUnverifiedException.class);
        // openssl agrees
        Path caFile = Files.writeString(tmp.resolve("ca.crt"), Certificates.pem(root));
        String sClient = run(List.of("openssl", "s_client", "-connect", ADDRESS + ":" + spec.apiPort(), "-CAfile",
                caFile.toString(), "-verify_ip", ADDRESS, "-verify_return_error", "-brief"));
        assertThat(sClient).contains("Verification: OK");

        // renewal over a non-root login with sudo (a user of its own: other tests use TestUser.NAME)
        NodeCert second = ca.issue("edge-tls", new SubjectNames(List.of(ADDRESS), List.of()), Duration.ofDays(90));
        String renewedBy = "root";
        TestUser user = TestUser.possible() ? TestUser.create("sfupkitest") : null;
        try {
            if (user != null) {
                var asRoot = f.hosts.require("edge-tls");
                f.hosts.remove("edge-tls");
                f.hosts.add(new HostStore.NewHost("edge-tls", ADDRESS, asRoot.sshPort(), user.name(), HostAuth.PASSWORD,
                        null, user.password(), prefix.toString()));
                f.hosts.trust("edge-tls", asRoot.hostKeyFingerprint(), false);
                renewedBy = user.name();
            }
            try (HostSession s = f.hosts.connect("edge-tls")) {
                assertThat(s.exec("id -un", Duration.ofSeconds(30)).require().strip()).isEqualTo(renewedBy);
                CertPusher.Result renewed = pusher(Duration.ofMinutes(3)).push(s, st -> { });
                assertThat(renewed.renewal()).isTrue();
            }
            assertThat(Certificates.sha256((X509Certificate) servedChain(onlySite, apiUrl + "/readyz").getFirst()))
                    .isEqualTo(second.sha256());
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
            assertThat(prefix.resolve("etc/tls/node.key.prev")).doesNotExist();

            // a renewal the node is not ready with in time is put back: the previous certificate serves again
            NodeCert third = ca.issue("edge-tls", new SubjectNames(List.of(ADDRESS), List.of()), Duration.ofDays(30));
            try (HostSession s = f.hosts.connect("edge-tls")) {
                assertThatThrownBy(() -> pusher(Duration.ofMillis(1)).push(s, st -> { }))
                        .isInstanceOf(ProvisionException.class)
                        .hasMessageContaining("did not become ready over HTTPS")
                        .hasMessageContaining("Put back the previous certificate");
            }
            assertThat(Certificates.readCertificate(Files.readString(prefix.resolve("etc/tls/node.crt")))
                    .getSerialNumber().toString(16)).isEqualTo(second.serial());
            assertThat(prefix.resolve("etc/tls/node.crt.prev")).doesNotExist();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
            assertThat(readyWithin(console, Duration.ofSeconds(120))).isTrue();
            assertThat(Certificates.sha256((X509Certificate) servedChain(onlySite, apiUrl + "/readyz").getFirst()))
                    .isEqualTo(second.sha256()).isNotEqualTo(third.sha256());
            assertThat(new CertStore(f.db).installed()).singleElement()
                    .satisfies(c -> assertThat(c.serial()).isEqualTo(second.serial()));
            // renewed and put back: still no drift, and a config push finds nothing to change
            assertThat(configs.drift(List.of("edge-tls"))).singleElement()
                    .satisfies(d -> assertThat(d.status()).isEqualTo(ConfigService.DriftStatus.IN_SYNC));
        } finally {
            if (user != null) {
                user.close();
            }
        }
        List<String> audited = f.audit.latest(50).stream().map(e -> e.action() + " " + e.result().split(":")[0])
                .toList();
        assertThat(audited).contains("pki.cert.push ok", "pki.cert.push error", "pki.ca.create ok");
        System.out.println("pushed a certificate and switched a node to HTTPS (write, restart, ready) in "
                + pushMillis + " ms");
    }

    /** Ready within {@code limit}; a node being restarted does not answer at all for a while. */
    private static boolean readyWithin(NodeClient client, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (client.nodeInfo().ready()) {
                    return true;
                }
            } catch (NodeUnreachableException starting) {
                // not listening yet: try again until the deadline
            }
            Thread.sleep(250);
        }
        return false;
    }

    /** "opened", or "closed: why" when the stream could not be opened. */
    private static String openEvents(OkHttpClient client, NodeEntry n) throws Exception {
        var first = new java.util.concurrent.CompletableFuture<String>();
        okhttp3.WebSocket ws = new io.sfufleet.console.node.NodeEventStream(client, NodeClient.parseBaseUrl(n.apiUrl()),
                n.token(), ApiJson.newMapper()).open(new io.sfufleet.console.node.NodeEventStream.Listener() {
                    @Override
                    public void opened() {
                        first.complete("opened");
                    }

                    @Override
                    public void event(io.sfufleet.model.api.NodeEvent event) {
                    }

                    @Override
                    public void garbage(String problem) {
                    }

                    @Override
                    public void closed(String reason, int httpStatus) {
                        first.complete("closed: " + reason);
                    }
                });
        try {
            return first.get(60, TimeUnit.SECONDS);
        } finally {
            ws.cancel();
        }
    }

    private static String run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(
                new java.io.File("/dev/null"))).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
