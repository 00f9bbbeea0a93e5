package io.sfufleet.sfu.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sfufleet.sfu.SfuNode;
import io.sfufleet.sfu.TestNodes;
import io.sfufleet.sfu.auth.JoinGrant;
import io.sfufleet.sfu.auth.JoinTokens;
import io.sfufleet.sfu.auth.Permission;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET /dev/token} on the client listener: a 404 unless auth.dev_tokens is on. */
class DevTokenEndpointTest {
    private static SfuNode devOn;
    private static SfuNode devOff;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        devOn = TestNodes.start(Map.of("SFU_AUTH_DEV_TOKENS", "true"));
        devOff = TestNodes.start();
    }

    @AfterAll
    static void stop() {
        if (devOn != null) {
            devOn.close();
        }
        if (devOff != null) {
            devOff.close();
        }
    }

    private HttpResponse<String> get(SfuNode node, String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + pathAndQuery)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void offByDefaultTheEndpointIsA404LikeAnyUnknownPath() throws Exception {
        assertThat(devOff.config().auth().devTokens()).isFalse();
        HttpResponse<String> token = get(devOff, "/dev/token?call=standup&name=Alice");
        HttpResponse<String> unknown = get(devOff, "/no/such/path");
        assertThat(token.statusCode()).isEqualTo(404);
        assertThat(token.body()).isEqualTo(unknown.body());
        assertThat(get(devOff, "/").statusCode()).isEqualTo(200);
    }

    @Test
    void onItGivesAOneHourTokenWithEveryPermissionForThatCall() throws Exception {
        Instant before = Instant.now();
        HttpResponse<String> res = get(devOn, "/dev/token?call=standup&name=Ann%C3%A9e%20B");
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(res.headers().firstValue("cache-control")).contains("no-store");
        JsonNode body = JsonMapper.builder().build().readTree(res.body());
        String token = body.get("token").asText();

        // Checked with the configured secret, independently of the node's own JoinAuth.
        JoinGrant g = new JoinTokens(TestNodes.JOIN_SECRET.getBytes(StandardCharsets.UTF_8), Clock.systemUTC())
                .verify(token, "standup");
        assertThat(g.subject()).isEqualTo("Année B");
        assertThat(g.call()).isEqualTo("standup");
        assertThat(g.permissions()).isEqualTo(EnumSet.allOf(Permission.class));
        assertThat(g.expiresAt()).isBetween(before.plus(Duration.ofMinutes(59)), Instant.now().plus(Duration.ofMinutes(61)));
        assertThat(devOn.joinAuth().verify(token, "standup").subject()).isEqualTo("Année B");
    }

    @Test
    void badParametersAndMethodsAreRefused() throws Exception {
        assertThat(get(devOn, "/dev/token?name=Alice").statusCode()).isEqualTo(400);
        assertThat(get(devOn, "/dev/token?call=bad%20id&name=Alice").statusCode()).isEqualTo(400);
        assertThat(get(devOn, "/dev/token?call=standup").statusCode()).isEqualTo(400);
        assertThat(get(devOn, "/dev/token?call=standup&name=" + "x".repeat(65)).statusCode()).isEqualTo(400);
        assertThat(get(devOn, "/dev/token?call=a&call=b&name=Alice").statusCode()).isEqualTo(400);
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + devOn.httpPort() + "/dev/token?call=standup&name=Alice"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        // the rest of the listener is unchanged
        assertThat(get(devOn, "/client.js").statusCode()).isEqualTo(200);
        assertThat(get(devOn, "/dev/tokens").statusCode()).isEqualTo(404);
    }

    @Test
    void aReloadTurnsTheEndpointOnAndOff() throws Exception {
        devOff.joinAuth().reconfigure(TestNodes.JOIN_SECRET, true);
        try {
            assertThat(get(devOff, "/dev/token?call=standup&name=Alice").statusCode()).isEqualTo(200);
        } finally {
            devOff.joinAuth().reconfigure(TestNodes.JOIN_SECRET, false);
        }
        assertThat(get(devOff, "/dev/token?call=standup&name=Alice").statusCode()).isEqualTo(404);
    }
}
