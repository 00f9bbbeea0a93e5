package io.sfufleet.sfu.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.util.SelfSignedCertificate;
import io.sfufleet.model.api.ApiPaths;
import io.sfufleet.sfu.SfuNode;
import io.sfufleet.sfu.TestNodes;
import io.sfufleet.sfu.TestTls;
import java.net.InetAddress;
import java.net.Socket;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** api.tls_cert_file and api.tls_key_file: the admin API speaks HTTPS with the operator's PEM files. */
class AdminTlsTest {
    private static SelfSignedCertificate cert;
    private static SfuNode node;

    @BeforeAll
    static void start() throws Exception {
        cert = TestTls.selfSigned();
        node = TestNodes.start(Map.of("SFU_API_TLS_CERT_FILE", cert.certificate().getPath(),
                "SFU_API_TLS_KEY_FILE", cert.privateKey().getPath()));
    }

    @AfterAll
    static void stop() {
        node.close();
        cert.delete();
    }

    @Test
    void theApiAnswersOverTlsWithTheConfiguredCertificate() throws Exception {
        SSLContext tls = TestTls.trusting(cert.cert());
        try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), node.adminPort());
             SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(plain, "localhost", node.adminPort(), true)) {
            s.startHandshake();
            assertThat(s.getSession().getPeerCertificates()[0]).isEqualTo(cert.cert());
            String answer = RawHttp.exchange(s, "GET " + ApiPaths.NODE + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Bearer " + TestNodes.API_TOKEN);
            assertThat(answer).startsWith("HTTP/1.1 200 ").contains("\"apiVersion\":1");
        }
        // plain HTTP on the TLS port gets nowhere
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), node.adminPort())) {
            String answer;
            try {
                answer = RawHttp.exchange(s, "GET " + ApiPaths.LIVEZ + " HTTP/1.1\r\nHost: localhost");
            } catch (java.io.IOException e) {
                answer = "";
            }
            assertThat(answer).doesNotStartWith("HTTP/1.1 200");
        }
    }
}
