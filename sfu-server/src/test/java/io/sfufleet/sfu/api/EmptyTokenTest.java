package io.sfufleet.sfu.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.model.api.ApiPaths;
import io.sfufleet.sfu.SfuNode;
import io.sfufleet.sfu.TestNodes;
import java.net.InetAddress;
import java.net.Socket;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With no api.token (allowed on a loopback listener only) no token is checked, but the Host must be
 * a loopback name: a web page that rebinds its own name to 127.0.0.1 gets 403.
 */
class EmptyTokenTest {
    private static SfuNode node;

    @BeforeAll
    static void start() throws Exception {
        node = TestNodes.start(Map.of("SFU_API_TOKEN", ""));
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static String get(String path, String host) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), node.adminPort())) {
            return RawHttp.exchange(s, "GET " + path + " HTTP/1.1\r\nHost: " + host);
        }
    }

    @Test
    void loopbackHostsPassWithoutAToken() throws Exception {
        for (String host : new String[] {"127.0.0.1:" + node.adminPort(), "localhost", "LOCALHOST:8045", "[::1]:1"}) {
            assertThat(get(ApiPaths.NODE, host)).as(host).startsWith("HTTP/1.1 200 ");
        }
        assertThat(new AdminClient(node.adminPort(), null).get(ApiPaths.CALLS).statusCode()).isEqualTo(200);
    }

    @Test
    void anyOtherHostIsForbidden() throws Exception {
        for (String host : new String[] {"evil.example", "127.0.0.1.evil.example", "localhost.evil:80", "10.0.0.1"}) {
            String answer = get(ApiPaths.NODE, host);
            assertThat(answer).as(host).startsWith("HTTP/1.1 403 ").contains("\"error\":\"forbidden\"");
        }
        assertThat(get(ApiPaths.NODE, "")).startsWith("HTTP/1.1 403 ");
        // the open probe needs nothing
        assertThat(get(ApiPaths.LIVEZ, "evil.example")).startsWith("HTTP/1.1 200 ");
    }
}
