package io.sfufleet.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sfufleet.console.node.ApiJson;
import io.sfufleet.console.node.NodeApiException;
import io.sfufleet.console.node.NodeClient;
import io.sfufleet.model.api.ApiError;
import io.sfufleet.model.api.NodeState;
import io.sfufleet.sfu.SfuNode;
import io.sfufleet.sfu.TestNodes;
import java.time.Duration;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The node client against a real node: the records come back, errors carry the node's ApiError. */
class NodeClientTest {
    private static SfuNode node;
    private static OkHttpClient http;

    @BeforeAll
    static void start() throws Exception {
        http = NodeClient.newHttpClient();
        node = RunningNode.start(http);
    }

    @AfterAll
    static void stop() {
        node.close();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    private static NodeClient client(String token) {
        return new NodeClient(http, NodeClient.parseBaseUrl("http://127.0.0.1:" + node.adminPort() + "/"), token,
                ApiJson.newMapper());
    }

    @Test
    void readsTheNodeAndItsCalls() {
        NodeClient c = client(TestNodes.API_TOKEN);
        assertThat(c.nodeInfo().state()).isEqualTo(NodeState.running);
        assertThat(c.calls().calls()).isNotNull();
    }

    @Test
    void aWrongTokenIsA401WithTheNodesApiError() {
        NodeApiException e = catchThrowableOfType(NodeApiException.class, () -> client("wrong").nodeInfo());
        assertThat(e.status()).isEqualTo(401);
        assertThat(e.error().error()).isEqualTo(ApiError.UNAUTHORIZED);
        assertThat(e).hasMessageContaining("GET /api/v1/node").hasMessageContaining("401 unauthorized");
    }

    @Test
    void anUnknownCallIsA404NamingTheField() {
        NodeApiException e = catchThrowableOfType(NodeApiException.class,
                () -> client(TestNodes.API_TOKEN).participant("nope", "p1"));
        assertThat(e.error().status()).isEqualTo(404);
        assertThat(e.error().error()).isEqualTo(ApiError.NOT_FOUND);
        assertThat(e.error().field()).isEqualTo("callId");
    }

    @Test
    void usesTheConsoleTimeouts() {
        assertThat(Duration.ofMillis(http.connectTimeoutMillis())).isEqualTo(Duration.ofSeconds(2));
        assertThat(Duration.ofMillis(http.readTimeoutMillis())).isEqualTo(Duration.ofSeconds(5));
    }
}
