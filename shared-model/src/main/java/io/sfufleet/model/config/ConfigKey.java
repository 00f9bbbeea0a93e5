package io.sfufleet.model.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Every configuration key with its section, type, default, allowed values, environment variable
 * and whether a reload applies it ({@link Reload}). The reader, the validator, the renderer, the
 * server's ConfigChange, the console's editor and {@link #describeAll()} all read this one table, so a key cannot be
 * documented in one place and forgotten in another.
 */
public enum ConfigKey {
    NODE_NAME(Section.NODE, "name", Reload.RESTART, "",
            "1 to 64 letters, digits, '.', '-' or '_'; empty = the host name",
            "Name of this node in the console, logs and metrics."),

    MEDIA_BIND_ADDRESS(Section.MEDIA, "bind_address", Reload.RESTART, "0.0.0.0",
            "an IPv4 or IPv6 address literal",
            "Address the media UDP and TCP sockets bind to."),
    MEDIA_UDP_PORT(Section.MEDIA, "udp_port", Reload.RESTART, 8443, 1, 65535, "1..65535",
            "The one UDP port that carries the media of every call."),
    MEDIA_TCP_PORT(Section.MEDIA, "tcp_port", Reload.RESTART, 8443, 0, 65535, "0 (off) or 1..65535",
            "TCP port for ICE-TCP, the fallback when UDP is blocked; 0 turns it off."),
    MEDIA_ICE_HOST_OVERRIDE(Section.MEDIA, "ice_host_override", Reload.RESTART, "",
            "an IP address literal or a host name; empty = auto-detect",
            "Address advertised in ICE candidates. Empty: the first non-loopback IPv4 address that is up,"
                    + " else 127.0.0.1. Set it behind NAT and on air-gapped sites; it is never resolved here."),
    MEDIA_STUN_SERVERS(Section.MEDIA, "stun_servers", Reload.RESTART, List.of(),
            "a list of \"host:port\" (IPv6 hosts in brackets); empty = no STUN",
            "STUN servers used to discover a public address. Empty by default: no STUN server is contacted."),
    MEDIA_UDP_SOCKET_BUFFER_BYTES(Section.MEDIA, "udp_socket_buffer_bytes", Reload.RESTART,
            16_777_216, 65_536, 268_435_456, "65536..268435456",
            "Receive and send buffer requested for the media UDP socket; the kernel caps it at"
                    + " net.core.rmem_max / wmem_max."),
    MEDIA_UDP_ENABLED(Section.MEDIA, "udp_enabled", Reload.RESTART, true,
            "true or false; false needs tcp_port",
            "Offer media over UDP. false: the UDP port is not opened and clients connect over ICE-TCP only"
                    + " (for sites whose firewalls pass only TCP, and to test the TCP path)."),
    MEDIA_TCP_MAX_CONNECTIONS(Section.MEDIA, "tcp_max_connections", Reload.RESTART, 1000, 1, 100_000,
            "1..100000",
            "ICE-TCP connections open at once; more are closed as they arrive. Each participant uses at most two."),
    MEDIA_TURN_URLS(Section.MEDIA, "turn_urls", Reload.RESTART, List.of(),
            "a list of \"turn:host:port\" or \"turns:host:port\", optionally with \"?transport=udp\" or"
                    + " \"?transport=tcp\"; empty = no TURN",
            "TURN servers handed to clients in the join response, for networks that reach the node only through"
                    + " a relay. Needs turn_secret."),
    MEDIA_TURN_SECRET(Section.MEDIA, "turn_secret", Reload.RESTART, "",
            "empty, or 16 to 512 characters; required with turn_urls",
            "Secret shared with the TURN servers (coturn: use-auth-secret, static-auth-secret). The node mints"
                    + " short-lived credentials from it for each participant (coturn's REST scheme)."
                    + " Secret: masked when the configuration is printed."),
    MEDIA_TURN_CREDENTIAL_TTL_SECONDS(Section.MEDIA, "turn_credential_ttl_seconds", Reload.RESTART, 3600, 60,
            604_800, "60..604800",
            "How long the TURN credentials of a join stay valid."),
    MEDIA_VIDEO_CODECS(Section.MEDIA, "video_codecs", Reload.RESTART, List.of("vp8", "vp9", "av1", "h264"),
            "a list of vp8, vp9, av1 and h264, each at most once, at least one",
            "Video codecs the node accepts from publishers, the preferred first: of those a publisher offers, the"
                    + " node takes the first in this list. The built-in client sends its camera in the first one its"
                    + " browser can: vp8 as three simulcast layers, vp9 or av1 as one layered (SVC) stream. The node"
                    + " forwards and never transcodes, so list only codecs every receiving browser decodes."),

    HTTP_LISTEN_ADDRESS(Section.HTTP, "listen_address", Reload.RESTART, "0.0.0.0",
            "an IPv4 or IPv6 address literal",
            "Address of the client-facing HTTP server (signalling WebSocket and the browser client)."),
    HTTP_PORT(Section.HTTP, "port", Reload.RESTART, 8080, 1, 65535, "1..65535",
            "Port of the client-facing HTTP server."),
    HTTP_MAX_MESSAGE_BYTES(Section.HTTP, "max_message_bytes", Reload.RESTART, 65_536, 1024, 1_048_576,
            "1024..1048576",
            "Largest signalling WebSocket message accepted; larger ones close the connection."),
    HTTP_TLS_CERT_FILE(Section.HTTP, "tls_cert_file", Reload.RESTART, "",
            "empty, or a readable PEM file; set together with tls_key_file",
            "PEM certificate chain for HTTPS/WSS. Empty (with tls_key_file empty): plain HTTP."),
    HTTP_TLS_KEY_FILE(Section.HTTP, "tls_key_file", Reload.RESTART, "",
            "empty, or a readable PEM file; set together with tls_cert_file",
            "PEM private key for tls_cert_file."),

    API_LISTEN_ADDRESS(Section.API, "listen_address", Reload.RESTART, "127.0.0.1",
            "an IPv4 or IPv6 address literal",
            "Address of the admin API."),
    API_PORT(Section.API, "port", Reload.RESTART, 8045, 1, 65535, "1..65535",
            "Port of the admin API."),
    API_TOKEN(Section.API, "token", Reload.HOT, "",
            "empty, or 16 to 512 characters from A-Z a-z 0-9 . _ ~ + / = -;"
                    + " required when listen_address is not loopback",
            "Bearer token for the admin API. Secret: masked when the configuration is printed."),
    API_METRICS_OPEN(Section.API, "metrics_open", Reload.HOT, false, "true or false",
            "Serve /metrics without the bearer token, for a Prometheus inside a trusted network;"
                    + " every other path of the admin API still needs it."),
    API_TLS_CERT_FILE(Section.API, "tls_cert_file", Reload.RESTART, "",
            "empty, or a readable PEM file; set together with tls_key_file",
            "PEM certificate chain for HTTPS on the admin API. Empty (with tls_key_file empty): plain HTTP."),
    API_TLS_KEY_FILE(Section.API, "tls_key_file", Reload.RESTART, "",
            "empty, or a readable PEM file; set together with tls_cert_file",
            "PEM private key for tls_cert_file."),

    AUTH_JOIN_TOKEN_SECRET(Section.AUTH, "join_token_secret", Reload.HOT, "",
            "empty, or 32 to 512 characters",
            "Secret that signs and checks the tokens clients join calls with. Empty: the node makes a random"
                    + " secret at each start, so only tokens from its own dev endpoint work."
                    + " Secret: masked when the configuration is printed."),
    AUTH_DEV_TOKENS(Section.AUTH, "dev_tokens", Reload.HOT, false, "true or false",
            "The client listener serves GET /dev/token, so the built-in browser client can join without an"
                    + " outside token service. Whoever reaches the listener gets join tokens: off in production."),

    LIMITS_MAX_CALLS(Section.LIMITS, "max_calls", Reload.HOT, 1000, 1, 100_000, "1..100000",
            "Calls this node hosts at once; more are refused so the console can place them elsewhere."),
    LIMITS_MAX_PARTICIPANTS_PER_CALL(Section.LIMITS, "max_participants_per_call", Reload.HOT, 100, 2, 10_000,
            "2..10000",
            "Participants in one call."),
    LIMITS_KEYFRAME_MIN_INTERVAL_MS(Section.LIMITS, "keyframe_min_interval_ms", Reload.HOT, 200, 50, 10_000, "50..10000",
            "Shortest interval between keyframe requests sent to one publisher, whatever the receivers ask."),
    LIMITS_WS_IDLE_TIMEOUT_SECONDS(Section.LIMITS, "ws_idle_timeout_seconds", Reload.HOT, 30, 5, 3600, "5..3600",
            "A signalling WebSocket silent for this long is closed."),
    LIMITS_OVERLOAD_CPU_PERCENT(Section.LIMITS, "overload_cpu_percent", Reload.HOT, 85, 10, 100, "10..100",
            "Readiness turns false (\"overloaded\") when the node process uses more than this percent of all"
                    + " cores, so the console places new calls elsewhere."),
    LIMITS_CONSENT_TIMEOUT_SECONDS(Section.LIMITS, "consent_timeout_seconds", Reload.HOT, 30, 5, 300, "5..300",
            "A participant whose connected media connection stays silent this long (no consent check, no"
                    + " media; RFC 7675 says 30 s) is removed from its call."),
    LIMITS_MAX_AUDIO_STREAMS(Section.LIMITS, "max_audio_streams", Reload.HOT, 5, 1, 100, "1..100",
            "Audio tracks each participant receives at most: the loudest, by the RFC 6464 levels the node reads"
                    + " without decrypting."),
    LIMITS_MAX_VIDEO_STREAMS(Section.LIMITS, "max_video_streams", Reload.HOT, 9, 0, 100, "0..100",
            "Video tracks each participant receives at most: those of the latest speakers (last-N).");

    /** A [table] of the TOML file; also the second part of the environment variable names. */
    public enum Section {
        NODE("node"), MEDIA("media"), HTTP("http"), API("api"), AUTH("auth"), LIMITS("limits");

        private final String tomlName;

        Section(String tomlName) {
            this.tomlName = tomlName;
        }

        public String tomlName() {
            return tomlName;
        }

        /** {@code SFU_MEDIA_} for [media]. */
        public String envPrefix() {
            return "SFU_" + tomlName.toUpperCase(Locale.ROOT) + "_";
        }

        public List<ConfigKey> keys() {
            return Arrays.stream(ConfigKey.values()).filter(k -> k.section == this).toList();
        }

        public static Optional<Section> of(String tomlName) {
            return Arrays.stream(values()).filter(s -> s.tomlName.equals(tomlName)).findFirst();
        }
    }

    /** The TOML type a key takes; environment variables are parsed into the same types. */
    public enum Type {
        STRING("a string"), INTEGER("an integer"), BOOLEAN("a boolean"), STRING_LIST("an array of strings");

        private final String description;

        Type(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    /** What a running node does with a changed value when it reloads its configuration. */
    public enum Reload {
        /** Applied at once: the next call, request or check uses the new value. */
        HOT("applied at once on reload"),
        /** Bound at start (sockets, TLS contexts, the node's identity): takes effect after a restart. */
        RESTART("needs a restart");

        private final String description;

        Reload(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    private final Section section;
    private final String tomlName;
    private final Reload reload;
    private final Type type;
    private final Object defaultValue;
    private final long min;
    private final long max;
    private final String allowed;
    private final String description;

    ConfigKey(Section section, String tomlName, Reload reload, String defaultValue, String allowed,
              String description) {
        this(section, tomlName, reload, Type.STRING, defaultValue, 0, 0, allowed, description);
    }

    ConfigKey(Section section, String tomlName, Reload reload, List<String> defaultValue, String allowed,
              String description) {
        this(section, tomlName, reload, Type.STRING_LIST, defaultValue, 0, 0, allowed, description);
    }

    ConfigKey(Section section, String tomlName, Reload reload, long defaultValue, long min, long max,
              String allowed, String description) {
        this(section, tomlName, reload, Type.INTEGER, defaultValue, min, max, allowed, description);
    }

    ConfigKey(Section section, String tomlName, Reload reload, boolean defaultValue, String allowed,
              String description) {
        this(section, tomlName, reload, Type.BOOLEAN, defaultValue, 0, 0, allowed, description);
    }

    ConfigKey(Section section, String tomlName, Reload reload, Type type, Object defaultValue, long min, long max,
              String allowed, String description) {
        this.section = section;
        this.tomlName = tomlName;
        this.reload = reload;
        this.type = type;
        this.defaultValue = defaultValue;
        this.min = min;
        this.max = max;
        this.allowed = allowed;
        this.description = description;
    }

    public Section section() {
        return section;
    }

    /** The key's name inside its section, e.g. {@code udp_port}. */
    public String tomlName() {
        return tomlName;
    }

    /** The dotted name used in messages, e.g. {@code media.udp_port}. */
    public String key() {
        return section.tomlName() + "." + tomlName;
    }

    /** e.g. {@code SFU_MEDIA_UDP_PORT}. */
    public String envName() {
        return section.envPrefix() + tomlName.toUpperCase(Locale.ROOT);
    }

    public Type type() {
        return type;
    }

    /** The built-in default as a TOML literal, e.g. {@code 8443} or {@code "0.0.0.0"}. */
    public String defaultLiteral() {
        return ConfigRenderer.literal(defaultValue);
    }

    public String allowed() {
        return allowed;
    }

    public String description() {
        return description;
    }

    public Reload reload() {
        return reload;
    }

    /** Whether a running node applies a changed value on reload, without a restart. */
    public boolean isHot() {
        return reload == Reload.HOT;
    }

    /**
     * Secrets are masked wherever a value is printed: rendered configs, problem messages and the
     * server's ConfigChange; the console keeps them out of TOML files (they go to the 0600 env file).
     */
    public boolean isSecret() {
        return this == API_TOKEN || this == AUTH_JOIN_TOKEN_SECRET || this == MEDIA_TURN_SECRET;
    }

    /** String, Long, Boolean or List&lt;String&gt;, matching {@link #type()}. */
    public Object defaultValue() {
        return defaultValue;
    }

    /** Smallest allowed value of an {@link Type#INTEGER} key; 0 for other types. */
    public long min() {
        return min;
    }

    /** Largest allowed value of an {@link Type#INTEGER} key; 0 for other types. */
    public long max() {
        return max;
    }

    /** The key with this dotted name ({@code media.udp_port}), if there is one. */
    public static Optional<ConfigKey> ofKey(String dotted) {
        return Arrays.stream(values()).filter(k -> k.key().equals(dotted)).findFirst();
    }

    public static Optional<ConfigKey> of(Section section, String tomlName) {
        return section.keys().stream().filter(k -> k.tomlName.equals(tomlName)).findFirst();
    }

    public static Optional<ConfigKey> ofEnvName(String envName) {
        return Arrays.stream(values()).filter(k -> k.envName().equals(envName)).findFirst();
    }

    /** Human-readable reference of every key, for {@code --help-config} and the docs. */
    public static String describeAll() {
        var out = new StringBuilder();
        for (Section s : Section.values()) {
            out.append('[').append(s.tomlName()).append("]\n");
            for (ConfigKey k : s.keys()) {
                out.append("  ").append(k.tomlName()).append(" = ").append(k.defaultLiteral())
                        .append("    (").append(k.type.description()).append("; env ").append(k.envName()).append(")\n")
                        .append("      ").append(k.description).append('\n')
                        .append("      allowed: ").append(k.allowed).append('\n')
                        .append("      when changed: ").append(k.reload.description()).append('\n');
            }
        }
        return out.toString();
    }
}
