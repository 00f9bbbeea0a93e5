package io.sfufleet.sfu.loadtest.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sfufleet.sfu.auth.JoinTokens;
import io.sfufleet.sfu.auth.Permission;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;

/**
 * Where synthetic participants get their join tokens (signalling.md, "Join tokens"): minted here
 * with the node's join secret, as a meeting app does, or fetched from the node's dev endpoint
 * ({@code auth.dev_tokens = true}), or one fixed token.
 */
@FunctionalInterface
public interface JoinTokenSource {
    /** A token admitting {@code name} to {@code callId} with every permission. */
    String tokenFor(String callId, String name) throws IOException;

    /** Mints HS256 tokens with the node's {@code auth.join_token_secret} (at least 32 bytes), valid for 10 minutes. */
    static JoinTokenSource secret(String joinSecret) {
        Objects.requireNonNull(joinSecret, "joinSecret");
        JoinTokens tokens = new JoinTokens(joinSecret.getBytes(StandardCharsets.UTF_8), Clock.systemUTC());
        return (callId, name) -> tokens.mint(callId, name, EnumSet.allOf(Permission.class), Duration.ofMinutes(10),
                "sfu-fleet-loadtest");
    }

    /** Asks the node's {@code GET /dev/token} on its client URL (http or https). */
    static JoinTokenSource devEndpoint(HttpClient http, URI clientUrl) {
        Objects.requireNonNull(http, "http");
        String scheme = clientUrl.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("the dev token endpoint needs an http(s) client URL, got " + clientUrl);
        }
        ObjectMapper json = new ObjectMapper();
        return (callId, name) -> {
            URI uri = URI.create(scheme + "://" + clientUrl.getRawAuthority() + "/dev/token?call="
                    + URLEncoder.encode(callId, StandardCharsets.UTF_8) + "&name="
                    + URLEncoder.encode(name, StandardCharsets.UTF_8));
            HttpResponse<String> r;
            try {
                r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while fetching a dev token", e);
            }
            if (r.statusCode() == 404) {
                throw new IOException("the node at " + clientUrl + " hands out no dev tokens (404): start it with "
                        + "SFU_AUTH_DEV_TOKENS=true, or give the join secret instead");
            }
            if (r.statusCode() != 200) {
                throw new IOException("GET " + uri.getPath() + " answered " + r.statusCode() + ": " + r.body());
            }
            JsonNode token = json.readTree(r.body()).get("token");
            if (token == null || !token.isTextual()) {
                throw new IOException("GET /dev/token answered without a token: " + r.body());
            }
            return token.asText();
        };
    }

    /** The same token for every participant (e.g. a token for call "*"). */
    static JoinTokenSource fixed(String token) {
        Objects.requireNonNull(token, "token");
        return (callId, name) -> token;
    }
}
