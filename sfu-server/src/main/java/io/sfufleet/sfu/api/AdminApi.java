package io.sfufleet.sfu.api;

import static io.netty.handler.codec.http.HttpMethod.DELETE;
import static io.netty.handler.codec.http.HttpMethod.GET;
import static io.netty.handler.codec.http.HttpMethod.POST;
import static io.sfufleet.sfu.api.Router.Access.METRICS;
import static io.sfufleet.sfu.api.Router.Access.OPEN;
import static io.sfufleet.sfu.api.Router.Access.TOKEN;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.EventExecutor;
import io.sfufleet.model.api.ActionResult;
import io.sfufleet.model.api.ApiPaths;
import io.sfufleet.model.api.CallList;
import io.sfufleet.model.api.DrainRequest;
import io.sfufleet.model.api.EndCallRequest;
import io.sfufleet.model.api.Health;
import io.sfufleet.model.api.HealthStatus;
import io.sfufleet.model.api.KickRequest;
import io.sfufleet.model.api.MuteKind;
import io.sfufleet.model.api.MuteRequest;
import io.sfufleet.model.api.NodeState;
import io.sfufleet.sfu.call.Call;
import io.sfufleet.sfu.call.CallEvents;
import io.sfufleet.sfu.call.CallManager;
import io.sfufleet.sfu.call.Participant;
import io.sfufleet.sfu.config.SfuConfig;
import io.sfufleet.sfu.stats.NodeLifecycle;
import io.sfufleet.sfu.stats.NodeSnapshot;
import io.sfufleet.sfu.stats.ProcessSampler;
import io.sfufleet.sfu.stats.Readiness;
import io.sfufleet.sfu.stats.Snapshots;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The admin API's routes (the one list, {@link #routes()}) and what each does. Reads answer from
 * the latest {@link NodeSnapshot}; actions run on the media loop, which owns the calls, and then
 * refresh the snapshot so the next read shows their effect.
 */
public final class AdminApi {
    private static final System.Logger LOG = System.getLogger(AdminApi.class.getName());
    /** The media loop ticks every second; this long without a tick and the process is not live. */
    static final long STALLED_AFTER_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long MEDIA_LOOP_TIMEOUT_SECONDS = 10;

    /** What the API works with; built by the node. */
    public record Parts(Snapshots snapshots, NodeLifecycle lifecycle, Readiness readiness, ProcessSampler process,
                        CallManager calls, Executor mediaLoop, EventExecutor adminLoop, ConfigReloader reloader,
                        MetricsSource metrics) {
    }

    private final Parts parts;
    private final AccessPolicy access;
    private final EventHub events;
    private final Router router;

    public AdminApi(Parts parts, SfuConfig.Api config, String nodeName) {
        this.parts = parts;
        this.access = new AccessPolicy(config.token(), config.metricsOpen());
        this.events = new EventHub(parts.adminLoop(), parts.mediaLoop(), parts.snapshots(), nodeName);
        this.router = Router.builder()
                .add(GET, ApiPaths.LIVEZ, OPEN, r -> done(livez()))
                .add(GET, ApiPaths.READYZ, TOKEN, r -> done(readyz()))
                .add(GET, ApiPaths.METRICS, METRICS, r -> done(metrics()))
                .add(GET, ApiPaths.NODE, TOKEN, r -> done(ApiResponse.ok(latest().node())))
                .add(POST, ApiPaths.DRAIN, TOKEN, this::drain)
                .add(DELETE, ApiPaths.DRAIN, TOKEN, this::undrain)
                .add(POST, ApiPaths.RELOAD, TOKEN, this::reload)
                .add(GET, ApiPaths.CALLS, TOKEN, r -> done(ApiResponse.ok(new CallList(latest().calls()))))
                .add(GET, ApiPaths.CALL, TOKEN, r -> done(ApiResponse.ok(latest().call(r.param("callId"))
                        .orElseThrow(() -> noCall(r.param("callId"))))))
                .add(POST, ApiPaths.END_CALL, TOKEN, this::endCall)
                .add(GET, ApiPaths.PARTICIPANT, TOKEN, this::participant)
                .add(POST, ApiPaths.MUTE, TOKEN, this::mute)
                .add(POST, ApiPaths.KICK, TOKEN, this::kick)
                .add(GET, ApiPaths.EVENTS, TOKEN, r -> done(events(r)))
                .build();
    }

    /** For the node to register with the call logic, the lifecycle and the snapshots. */
    public CallEvents callEvents() {
        return events;
    }

    public NodeLifecycle.Listener lifecycleListener() {
        return events;
    }

    public java.util.function.Consumer<NodeSnapshot> snapshotListener() {
        return events::snapshotTaken;
    }

    /** The hot keys of the API itself: the token and whether /metrics is open. */
    public void apply(SfuConfig.Api config) {
        access.setToken(config.token());
        access.setMetricsOpen(config.metricsOpen());
    }

    /** Ends every event stream with 1001 (going away); the node is stopping. */
    public io.netty.util.concurrent.Future<Void> closeEventStreams() {
        return events.closeAll();
    }

    /** Event streams open now. */
    public int eventStreams() {
        return events.streamCount();
    }

    /** Event streams closed because the client did not keep up. */
    public long eventStreamsTooSlow() {
        return events.tooSlowCount();
    }

    /** The one list of routes (tests enumerate it). */
    Router router() {
        return router;
    }

    AccessPolicy access() {
        return access;
    }

    EventHub events() {
        return events;
    }

    // ---------------------------------------------------------------- probes and reads

    private NodeSnapshot latest() {
        return parts.snapshots().latest();
    }

    private ApiResponse livez() {
        boolean stalled = System.nanoTime() - parts.snapshots().lastTickNanos() > STALLED_AFTER_NANOS;
        Health h = new Health(stalled ? HealthStatus.fail : HealthStatus.ok,
                Map.of("mediaLoop", stalled ? "stalled" : "ok"));
        return ApiResponse.json(stalled ? HttpResponseStatus.SERVICE_UNAVAILABLE : HttpResponseStatus.OK, h);
    }

    private ApiResponse readyz() {
        NodeSnapshot s = latest();
        Health h = parts.readiness().evaluate(parts.lifecycle().state(), s.calls().size(),
                s.node().capacity().maxCalls(), parts.process().latest());
        return ApiResponse.json(h.status() == HealthStatus.ok ? HttpResponseStatus.OK
                : HttpResponseStatus.SERVICE_UNAVAILABLE, h);
    }

    private ApiResponse metrics() {
        MetricsSource m = parts.metrics();
        return new ApiResponse(HttpResponseStatus.OK, m.contentType(), m::writeTo, Map.of(), null);
    }

    private CompletionStage<ApiResponse> participant(ApiRequest r) {
        String callId = r.param("callId");
        String participantId = r.param("participantId");
        NodeSnapshot s = latest();
        var call = s.call(callId).orElseThrow(() -> noCall(callId));
        return done(ApiResponse.ok(call.participants().stream()
                .filter(p -> p.participantId().equals(participantId)).findFirst()
                .orElseThrow(() -> noParticipant(callId, participantId))));
    }

    private ApiResponse events(ApiRequest r) {
        String stats = r.queryParam(ApiPaths.EVENTS_STATS_PARAM);
        if (stats != null && !stats.equals("true") && !stats.equals("false")) {
            throw ApiException.badRequest(ApiPaths.EVENTS_STATS_PARAM, "stats must be true or false, not '" + stats + "'");
        }
        String upgrade = r.headers().get(HttpHeaderNames.UPGRADE);
        if (upgrade == null || !HttpHeaderValues.WEBSOCKET.contentEqualsIgnoreCase(upgrade.strip())) {
            throw ApiException.badRequest(null, ApiPaths.EVENTS + " is a WebSocket: send the upgrade request"
                    + " (Connection: Upgrade, Upgrade: websocket)");
        }
        return ApiResponse.upgrade(r, !"false".equals(stats));
    }

    // ---------------------------------------------------------------- actions

    private CompletionStage<ApiResponse> drain(ApiRequest r) {
        DrainRequest req = r.body(DrainRequest.class);
        NodeState state = parts.lifecycle().state();
        if (state == NodeState.starting || state == NodeState.stopping) {
            throw ApiException.conflict("the node is " + state + "; drain needs it running");
        }
        if (req.deadlineMillis() <= System.currentTimeMillis()) {
            throw ApiException.badRequest("deadlineMillis", "deadlineMillis must be in the future (now is "
                    + System.currentTimeMillis() + " by the node's clock, " + Instant.now() + ")");
        }
        return onMediaLoop(() -> {
            parts.calls().drain(req.deadlineMillis());
            LOG.log(System.Logger.Level.INFO, "drain through the admin API until {0}{1}",
                    Instant.ofEpochMilli(req.deadlineMillis()), req.reason() == null ? "" : ": " + req.reason());
            return new ActionResult(true, "draining: no new joins; calls left at "
                    + Instant.ofEpochMilli(req.deadlineMillis()) + " are ended");
        });
    }

    private CompletionStage<ApiResponse> undrain(ApiRequest r) {
        if (parts.lifecycle().state() == NodeState.stopping) {
            throw ApiException.conflict("the node is stopping");
        }
        return onMediaLoop(() -> {
            if (!parts.calls().isDraining()) {
                return new ActionResult(true, "was not draining");
            }
            parts.calls().undrain();
            return new ActionResult(true, "taking joins again");
        });
    }

    private CompletionStage<ApiResponse> reload(ApiRequest r) {
        refuseWhileStopping();
        return parts.reloader().reload().thenApply(ApiResponse::ok);
    }

    private CompletionStage<ApiResponse> endCall(ApiRequest r) {
        EndCallRequest req = r.body(EndCallRequest.class);
        String callId = r.param("callId");
        refuseWhileStopping();
        return onMediaLoop(() -> {
            Call call = parts.calls().call(callId);
            if (call == null) {
                throw noCall(callId);
            }
            int n = call.participants().size();
            LOG.log(System.Logger.Level.INFO, "call {0} ended through the admin API{1}", callId,
                    req.reason() == null ? "" : ": " + req.reason());
            parts.calls().endCall(call, "callEnded");
            return new ActionResult(true, "ended call " + callId + " (" + plural(n, "participant") + ")");
        });
    }

    private CompletionStage<ApiResponse> mute(ApiRequest r) {
        MuteRequest req = r.body(MuteRequest.class);
        if (req.kind() == MuteKind.unknown) {
            throw ApiException.badRequest("kind", "kind must be audio, video or all");
        }
        String callId = r.param("callId");
        String participantId = r.param("participantId");
        refuseWhileStopping();
        boolean audio = req.kind() == MuteKind.audio || req.kind() == MuteKind.all;
        boolean video = req.kind() == MuteKind.video || req.kind() == MuteKind.all;
        return onMediaLoop(() -> {
            int n = parts.calls().adminMute(find(callId, participantId), audio, video);
            return new ActionResult(true, "muted " + plural(n, "track"));
        });
    }

    private CompletionStage<ApiResponse> kick(ApiRequest r) {
        KickRequest req = r.body(KickRequest.class);
        String callId = r.param("callId");
        String participantId = r.param("participantId");
        refuseWhileStopping();
        return onMediaLoop(() -> {
            Participant p = find(callId, participantId);
            LOG.log(System.Logger.Level.INFO, "call {0}: {1} kicked through the admin API{2}", callId, participantId,
                    req.reason() == null ? "" : ": " + req.reason());
            parts.calls().kick(p, "kicked");
            return new ActionResult(true, "kicked " + participantId + " from " + callId);
        });
    }

    /** Media loop only. */
    private Participant find(String callId, String participantId) {
        Call call = parts.calls().call(callId);
        if (call == null) {
            throw noCall(callId);
        }
        return call.participants().stream().filter(p -> p.id().equals(participantId)).findFirst()
                .orElseThrow(() -> noParticipant(callId, participantId));
    }

    private void refuseWhileStopping() {
        if (parts.lifecycle().state() == NodeState.stopping) {
            throw ApiException.unavailable("the node is stopping");
        }
    }

    /** Runs an action on the media loop, then refreshes the snapshot there so reads show its effect. */
    private CompletionStage<ApiResponse> onMediaLoop(Supplier<ActionResult> action) {
        try {
            return CompletableFuture.supplyAsync(() -> {
                ActionResult result = action.get();
                parts.snapshots().refresh();
                return ApiResponse.ok(result);
            }, parts.mediaLoop()).orTimeout(MEDIA_LOOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            throw ApiException.unavailable("the node is stopping");
        }
    }

    private static CompletionStage<ApiResponse> done(ApiResponse r) {
        return CompletableFuture.completedFuture(r);
    }

    private static ApiException noCall(String callId) {
        return ApiException.notFound("callId", "no call " + callId + " on this node");
    }

    private static ApiException noParticipant(String callId, String participantId) {
        return ApiException.notFound("participantId", "no participant " + participantId + " in call " + callId);
    }

    private static String plural(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
