package io.sfufleet.sfu.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.util.SelfSignedCertificate;
import io.sfufleet.model.signal.Join;
import io.sfufleet.model.signal.Joined;
import io.sfufleet.sfu.SfuNode;
import io.sfufleet.sfu.TestNodes;
import io.sfufleet.sfu.TestTls;
import io.sfufleet.sfu.signal.WsTestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * http.tls_cert_file / http.tls_key_file: browsers allow camera and microphone only on HTTPS
 * (or localhost), so the client listener serves the page and the signalling over TLS.
 */
class ClientTlsTest {
    private static SelfSignedCertificate cert;
    private static SfuNode node;
    private static HttpClient https;

    @BeforeAll
    static void start() throws Exception {
        cert = TestTls.selfSigned();
        node = TestNodes.start(Map.of("SFU_HTTP_TLS_CERT_FILE", cert.certificate().getPath(),
                "SFU_HTTP_TLS_KEY_FILE", cert.privateKey().getPath()));
        https = HttpClient.newBuilder().sslContext(TestTls.trusting(cert.cert())).build();
    }

    @AfterAll
    static void stop() {
        node.close();
        cert.delete();
    }

    @Test
    void thePageAndTheSignallingAreServedOverTls() throws Exception {
        assertThat(node.clientUrl()).startsWith("https://");
        HttpResponse<String> page = https.send(HttpRequest.newBuilder(
                URI.create("https://localhost:" + node.httpPort() + "/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("client.js");

        try (WsTestClient c = new WsTestClient(https, URI.create("wss://localhost:" + node.httpPort() + "/ws"))) {
            c.send(new Join(1, "tls-call", "Alice", null, TestNodes.token("tls-call", "Alice")));
            assertThat(c.expect(Joined.class).callId()).isEqualTo("tls-call");
        }
    }

    @Test
    void plainHttpOnTheTlsPortGetsNoPage() {
        HttpClient plain = HttpClient.newHttpClient();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + node.httpPort() + "/")).build(),
                HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(java.io.IOException.class);
    }
}
