package io.sfufleet.sfu.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sfufleet.model.api.ApiError;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The admin API over the JDK's HTTP client, reading answers as a console would (tolerant Jackson). */
final class AdminClient {
    static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE)
            .build();

    private final HttpClient http;
    private final String base;
    private final String token;

    AdminClient(int port, String token) {
        this(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build(),
                "http://127.0.0.1:" + port, token);
    }

    AdminClient(HttpClient http, String base, String token) {
        this.http = http;
        this.base = base;
        this.token = token;
    }

    /** The same node with another token (null: none). */
    AdminClient withToken(String other) {
        return new AdminClient(http, base, other);
    }

    HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(15))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
        return send("GET", path, null);
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return send("POST", path, body);
    }

    HttpResponse<String> delete(String path) throws Exception {
        return send("DELETE", path, null);
    }

    /** GET that must answer 200, read as {@code type}. */
    <T> T getOk(String path, Class<T> type) throws Exception {
        HttpResponse<String> r = get(path);
        assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(200);
        return read(r, type);
    }

    /** POST that must answer 200, read as {@code type}. */
    <T> T postOk(String path, String body, Class<T> type) throws Exception {
        HttpResponse<String> r = post(path, body);
        assertThat(r.statusCode()).as("POST %s: %s", path, r.body()).isEqualTo(200);
        return read(r, type);
    }

    static <T> T read(HttpResponse<String> r, Class<T> type) throws IOException {
        return JSON.readValue(r.body(), type);
    }

    /** An error answer: the status, and the ApiError body that repeats it. */
    static ApiError error(HttpResponse<String> r, int status) throws IOException {
        assertThat(r.statusCode()).as("status of %s %s: %s", r.request().method(), r.request().uri(), r.body())
                .isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        ApiError e = read(r, ApiError.class);
        assertThat(e.status()).isEqualTo(status);
        return e;
    }
}
