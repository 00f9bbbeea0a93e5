package io.sfufleet.console.node;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sfufleet.model.api.ActionResult;
import io.sfufleet.model.api.ApiError;
import io.sfufleet.model.api.ApiPaths;
import io.sfufleet.model.api.CallDetail;
import io.sfufleet.model.api.CallList;
import io.sfufleet.model.api.DrainRequest;
import io.sfufleet.model.api.EndCallRequest;
import io.sfufleet.model.api.KickRequest;
import io.sfufleet.model.api.MuteKind;
import io.sfufleet.model.api.MuteRequest;
import io.sfufleet.model.api.NodeInfo;
import io.sfufleet.model.api.ParticipantDetail;
import io.sfufleet.model.api.ReloadResult;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The admin API of one node ({@code shared-model/docs/api.md}). Every method does one blocking
 * request; call it off any UI thread. Errors are a {@link NodeApiException} (the node's
 * {@link ApiError}) or a {@link NodeUnreachableException}. Thread-safe.
 */
public final class NodeClient {
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration READ_TIMEOUT = Duration.ofSeconds(5);
    /**
     * Calls OkHttp runs at once on the shared client. Each node's open event stream holds one of these
     * slots for as long as it is open (OkHttp reads a WebSocket on its call's thread), so OkHttp's
     * default of 64 left every node after the 64th queued, and shown unreachable, for good.
     */
    public static final int MAX_CONCURRENT_CALLS = 4096;
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    private static final int MAX_ERROR_TEXT = 200;

    private final OkHttpClient http;
    private final HttpUrl base;
    private final String token;
    private final ObjectMapper mapper;

    /**
     * @param http  shared by all clients of a console (see {@link #newHttpClient()})
     * @param base  the API's base URL, e.g. {@code http://127.0.0.1:8045}
     * @param token the node's {@code api.token}; null or empty when it has none
     */
    public NodeClient(OkHttpClient http, HttpUrl base, String token, ObjectMapper mapper) {
        this.http = Objects.requireNonNull(http, "http");
        this.base = Objects.requireNonNull(base, "base");
        this.token = token == null || token.isEmpty() ? null : token;
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    /** An OkHttp client with the console's timeouts (connect 2 s, read 5 s) and room for one event stream per node. */
    public static OkHttpClient newHttpClient() {
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(MAX_CONCURRENT_CALLS);
        return new OkHttpClient.Builder()
                .dispatcher(dispatcher)
                .connectTimeout(CONNECT_TIMEOUT)
                .readTimeout(READ_TIMEOUT)
                .writeTimeout(READ_TIMEOUT)
                .followRedirects(false)
                .build();
    }

    /** Parses a base URL typed by a person; throws IllegalArgumentException naming it when it is not http(s). */
    public static HttpUrl parseBaseUrl(String url) {
        HttpUrl parsed = HttpUrl.parse(url);
        if (parsed == null) {
            throw new IllegalArgumentException("not an http:// or https:// URL: " + url);
        }
        return parsed;
    }

    public HttpUrl baseUrl() {
        return base;
    }

    public NodeInfo nodeInfo() {
        return get(ApiPaths.NODE, NodeInfo.class);
    }

    public CallList calls() {
        return get(ApiPaths.CALLS, CallList.class);
    }

    public CallDetail call(String callId) {
        return get(ApiPaths.expand(ApiPaths.CALL, callId), CallDetail.class);
    }

    public ParticipantDetail participant(String callId, String participantId) {
        return get(ApiPaths.expand(ApiPaths.PARTICIPANT, callId, participantId), ParticipantDetail.class);
    }

    /** Drains until {@code deadline}; draining again moves the deadline. */
    public ActionResult drain(Instant deadline, String reason) {
        return send("POST", ApiPaths.DRAIN, new DrainRequest(deadline.toEpochMilli(), reason), ActionResult.class);
    }

    public ActionResult undrain() {
        return send("DELETE", ApiPaths.DRAIN, null, ActionResult.class);
    }

    public ActionResult mute(String callId, String participantId, MuteKind kind) {
        return send("POST", ApiPaths.expand(ApiPaths.MUTE, callId, participantId), new MuteRequest(kind),
                ActionResult.class);
    }

    public ActionResult kick(String callId, String participantId, String reason) {
        return send("POST", ApiPaths.expand(ApiPaths.KICK, callId, participantId), new KickRequest(reason),
                ActionResult.class);
    }

    public ActionResult endCall(String callId, String reason) {
        return send("POST", ApiPaths.expand(ApiPaths.END_CALL, callId), new EndCallRequest(reason),
                ActionResult.class);
    }

    public ReloadResult reload() {
        return send("POST", ApiPaths.RELOAD, null, ReloadResult.class);
    }

    private <T> T get(String path, Class<T> type) {
        return execute(request(path).get().build(), type);
    }

    private <T> T send(String method, String path, Object body, Class<T> type) {
        RequestBody requestBody;
        try {
            requestBody = body == null
                    ? RequestBody.create(new byte[0], JSON)
                    : RequestBody.create(mapper.writeValueAsBytes(body), JSON);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + body, e);
        }
        return execute(request(path).method(method, requestBody).build(), type);
    }

    private Request.Builder request(String path) {
        Request.Builder b = new Request.Builder()
                .url(base.newBuilder().encodedPath(path).build())
                .header("Accept", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private <T> T execute(Request request, Class<T> type) {
        String what = request.method() + " " + request.url().encodedPath() + " on " + base;
        try (Response response = http.newCall(request).execute()) {
            ResponseBody body = response.body();
            if (response.isSuccessful()) {
                // parsed from the stream: a call's details are tens of kB, read a few hundred times a
                // second across a large fleet, and a copy of each as one byte array was garbage at once
                try {
                    return mapper.readValue(body.byteStream(), type);
                } catch (JsonProcessingException | RuntimeException e) {
                    throw new NodeUnreachableException(what + ": the answer is not a " + type.getSimpleName()
                            + " (is this an sfu-fleet admin API?): " + e.getMessage(), e);
                }
            }
            throw new NodeApiException(what, apiError(response.code(), body.bytes()));
        } catch (IOException e) {
            throw new NodeUnreachableException("cannot reach " + base + " (" + request.method() + " "
                    + request.url().encodedPath() + "): " + describe(e), e);
        }
    }

    private ApiError apiError(int status, byte[] body) {
        int code = status >= 400 && status <= 599 ? status : 502;
        try {
            ApiError e = mapper.readValue(body, ApiError.class);
            if (e != null && e.status() == status) {
                return e;
            }
        } catch (IOException | RuntimeException ignored) {
            // not an ApiError body: fall through and describe the raw answer
        }
        String text = new String(body, java.nio.charset.StandardCharsets.UTF_8).strip();
        if (text.length() > MAX_ERROR_TEXT) {
            text = text.substring(0, MAX_ERROR_TEXT) + "...";
        }
        return new ApiError(code, "http_" + status, text.isEmpty() ? "HTTP " + status + " without an error body" : text,
                null);
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
