package io.sfufleet.model.api;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every route of the admin API, and the constants around them. Templates name their variables in
 * braces ({@code {callId}}); {@link #expand} fills them in. Probes and metrics are not versioned;
 * everything else lives under {@link #PREFIX}.
 */
public final class ApiPaths {
    /** In {@link NodeInfo#apiVersion()} and {@link HelloEvent#apiVersion()}; also the {@code v1} of the paths. */
    public static final int API_VERSION = 1;
    /** The default of {@code api.port}; {@code api.listen_address} defaults to 127.0.0.1. */
    public static final int DEFAULT_PORT = 8045;
    /** Request bodies larger than this get 413 payload_too_large. */
    public static final int MAX_REQUEST_BYTES = 65_536;

    public static final String PREFIX = "/api/v1";

    /** GET: is the process alive. No token. {@link Health}. */
    public static final String LIVEZ = "/livez";
    /** GET: should new calls be placed here. 200 or 503 with {@link Health}. */
    public static final String READYZ = "/readyz";
    /** GET: Prometheus text format. Token required unless {@code api.metrics_open = true}. */
    public static final String METRICS = "/metrics";

    /** GET: {@link NodeInfo}. */
    public static final String NODE = PREFIX + "/node";
    /** POST {@link DrainRequest}: drain; DELETE: undrain. Both answer {@link ActionResult}. */
    public static final String DRAIN = NODE + "/drain";
    /** POST: reread the configuration file. {@link ReloadResult}. */
    public static final String RELOAD = NODE + "/reload";
    /** GET: {@link CallList}. */
    public static final String CALLS = PREFIX + "/calls";
    /** GET: {@link CallDetail}. */
    public static final String CALL = CALLS + "/{callId}";
    /** POST {@link EndCallRequest}: end the call. {@link ActionResult}. */
    public static final String END_CALL = CALL + "/end";
    /** GET: {@link ParticipantDetail}. */
    public static final String PARTICIPANT = CALL + "/participants/{participantId}";
    /** POST {@link MuteRequest}: admin mute. {@link ActionResult}. */
    public static final String MUTE = PARTICIPANT + "/mute";
    /** POST {@link KickRequest}: remove the participant. {@link ActionResult}. */
    public static final String KICK = PARTICIPANT + "/kick";
    /** GET with a WebSocket upgrade: the {@link NodeEvent} stream. */
    public static final String EVENTS = PREFIX + "/events";

    /** Query parameter of {@link #EVENTS}: {@code stats=false} turns the statsSnapshot events off. */
    public static final String EVENTS_STATS_PARAM = "stats";
    /** WebSocket close code for an event-stream client that does not keep up (RFC 6455: policy violation). */
    public static final int EVENTS_TOO_SLOW_CLOSE_CODE = 1008;
    public static final String EVENTS_TOO_SLOW_CLOSE_REASON = "too slow";

    private static final Pattern VARIABLE = Pattern.compile("\\{[A-Za-z]+}");

    private ApiPaths() {
    }

    /**
     * Fills a template's variables in order: {@code expand(MUTE, "standup", "p2")}. Each value must
     * be 1 to 64 characters of [A-Za-z0-9._-] (what call, participant and track ids are made of), so
     * nothing needs escaping and no value can reach another route.
     */
    public static String expand(String template, String... values) {
        Matcher m = VARIABLE.matcher(template);
        var out = new StringBuilder();
        int i = 0;
        while (m.find()) {
            Validation.require(i < values.length, template + " needs more than " + values.length + " values");
            String v = values[i++];
            Validation.require(v != null && Validation.ID.matcher(v).matches(),
                    m.group() + " must be 1 to 64 characters of [A-Za-z0-9._-]");
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        Validation.require(i == values.length, template + " takes " + i + " values, not " + values.length);
        m.appendTail(out);
        return out.toString();
    }
}
