package io.sfufleet.sfu.config;

import io.sfufleet.model.config.ConfigKey;
import io.sfufleet.model.config.ConfigRenderer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The node's configuration: immutable, built once by {@link ConfigLoader} and handed to whatever
 * needs it. Records hold already validated values; the loader, not these constructors, checks
 * them, because it must report every problem at once rather than stop at the first.
 *
 * <p>Automatic values are resolved on loading, so the object shows what the node really uses:
 * an empty {@code node.name} becomes the host name and an empty {@code media.ice_host_override}
 * becomes the detected address.
 */
public record SfuConfig(Node node, Media media, Http http, Api api, Auth auth, Limits limits) {

    public SfuConfig {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(media, "media");
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(limits, "limits");
    }

    /** The built-in defaults on this host; equal to loading the bundled {@code sfu.toml}. */
    public static SfuConfig defaults() {
        return ConfigLoader.load(null, Map.of());
    }

    /**
     * This configuration as a TOML file, for logs and {@code --print-config}. Secrets are replaced
     * by a placeholder the loader refuses, so a printed config pasted back in never runs with a
     * made-up token; the real one can be supplied through its environment variable.
     */
    public String toToml() {
        return ConfigRenderer.render(this::value);
    }

    /** A key's value in this configuration, in the same Java type as {@link ConfigKey#defaultValue()}. */
    public Object value(ConfigKey key) {
        SfuConfig c = this;
        // Exhaustive switch: adding a key without mapping it to the record does not compile.
        return switch (key) {
            case NODE_NAME -> c.node().name();
            case MEDIA_BIND_ADDRESS -> c.media().bindAddress();
            case MEDIA_UDP_PORT -> (long) c.media().udpPort();
            case MEDIA_TCP_PORT -> (long) c.media().tcpPort();
            case MEDIA_ICE_HOST_OVERRIDE -> c.media().iceHostOverride();
            case MEDIA_STUN_SERVERS -> c.media().stunServers();
            case MEDIA_UDP_SOCKET_BUFFER_BYTES -> (long) c.media().udpSocketBufferBytes();
            case MEDIA_UDP_ENABLED -> c.media().udpEnabled();
            case MEDIA_TCP_MAX_CONNECTIONS -> (long) c.media().tcpMaxConnections();
            case MEDIA_TURN_URLS -> c.media().turnUrls();
            case MEDIA_VIDEO_CODECS -> c.media().videoCodecs();
            case MEDIA_TURN_SECRET -> c.media().turnSecret();
            case MEDIA_TURN_CREDENTIAL_TTL_SECONDS -> (long) c.media().turnCredentialTtlSeconds();
            case HTTP_LISTEN_ADDRESS -> c.http().listenAddress();
            case HTTP_PORT -> (long) c.http().port();
            case HTTP_MAX_MESSAGE_BYTES -> (long) c.http().maxMessageBytes();
            case HTTP_TLS_CERT_FILE -> c.http().tlsCertFile();
            case HTTP_TLS_KEY_FILE -> c.http().tlsKeyFile();
            case API_LISTEN_ADDRESS -> c.api().listenAddress();
            case API_PORT -> (long) c.api().port();
            case API_TOKEN -> c.api().token();
            case API_METRICS_OPEN -> c.api().metricsOpen();
            case API_TLS_CERT_FILE -> c.api().tlsCertFile();
            case API_TLS_KEY_FILE -> c.api().tlsKeyFile();
            case AUTH_JOIN_TOKEN_SECRET -> c.auth().joinTokenSecret();
            case AUTH_DEV_TOKENS -> c.auth().devTokens();
            case LIMITS_MAX_CALLS -> (long) c.limits().maxCalls();
            case LIMITS_MAX_PARTICIPANTS_PER_CALL -> (long) c.limits().maxParticipantsPerCall();
            case LIMITS_KEYFRAME_MIN_INTERVAL_MS -> (long) c.limits().keyframeMinIntervalMs();
            case LIMITS_WS_IDLE_TIMEOUT_SECONDS -> (long) c.limits().wsIdleTimeoutSeconds();
            case LIMITS_OVERLOAD_CPU_PERCENT -> (long) c.limits().overloadCpuPercent();
            case LIMITS_CONSENT_TIMEOUT_SECONDS -> (long) c.limits().consentTimeoutSeconds();
            case LIMITS_MAX_AUDIO_STREAMS -> (long) c.limits().maxAudioStreams();
            case LIMITS_MAX_VIDEO_STREAMS -> (long) c.limits().maxVideoStreams();
        };
    }


    /** Reference of every key: default, type, environment variable, allowed values. */
    public static String describeKeys() {
        return ConfigKey.describeAll();
    }

    /** @param name this node's name in the console and logs, never empty */
    public record Node(String name) {
        public Node {
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * @param bindAddress          IP literal the media sockets bind to
     * @param udpPort              the single UDP port for all media
     * @param tcpPort              ICE-TCP port, 0 when off
     * @param iceHostOverride      the address advertised in ICE candidates: the configured one or the
     *                             detected one, never empty
     * @param stunServers          "host:port" entries, empty when no STUN is used
     * @param udpSocketBufferBytes requested socket buffer size
     * @param udpEnabled           whether the UDP port is opened and offered; false means ICE-TCP only
     * @param tcpMaxConnections    ICE-TCP connections open at once
     * @param turnUrls             TURN servers given to clients, empty for none
     * @param turnSecret           shared with the TURN servers; never shown by {@link #toString()}
     * @param turnCredentialTtlSeconds how long minted TURN credentials stay valid
     * @param videoCodecs          video codecs accepted from publishers ("vp8", "vp9", "av1", "h264"), preferred first
     */
    public record Media(String bindAddress, int udpPort, int tcpPort, String iceHostOverride,
                        List<String> stunServers, int udpSocketBufferBytes, boolean udpEnabled,
                        int tcpMaxConnections, List<String> turnUrls, String turnSecret,
                        int turnCredentialTtlSeconds, List<String> videoCodecs) {
        public Media {
            Objects.requireNonNull(bindAddress, "bindAddress");
            Objects.requireNonNull(iceHostOverride, "iceHostOverride");
            stunServers = List.copyOf(stunServers);
            turnUrls = List.copyOf(turnUrls);
            Objects.requireNonNull(turnSecret, "turnSecret");
            videoCodecs = List.copyOf(videoCodecs);
        }

        @Override
        public String toString() {
            return "Media[bindAddress=" + bindAddress + ", udpPort=" + udpPort + ", tcpPort=" + tcpPort
                    + ", iceHostOverride=" + iceHostOverride + ", stunServers=" + stunServers
                    + ", udpSocketBufferBytes=" + udpSocketBufferBytes + ", udpEnabled=" + udpEnabled
                    + ", tcpMaxConnections=" + tcpMaxConnections + ", turnUrls=" + turnUrls + ", turnSecret="
                    + (turnSecret.isEmpty() ? "" : ConfigRenderer.MASK) + ", turnCredentialTtlSeconds="
                    + turnCredentialTtlSeconds + ", videoCodecs=" + videoCodecs + "]";
        }

        public boolean tcpEnabled() {
            return tcpPort != 0;
        }
    }

    /**
     * @param tlsCertFile PEM certificate chain, empty for plain HTTP
     * @param tlsKeyFile  PEM private key, empty for plain HTTP
     */
    public record Http(String listenAddress, int port, int maxMessageBytes, String tlsCertFile, String tlsKeyFile) {
        public Http {
            Objects.requireNonNull(listenAddress, "listenAddress");
            Objects.requireNonNull(tlsCertFile, "tlsCertFile");
            Objects.requireNonNull(tlsKeyFile, "tlsKeyFile");
        }

        public boolean tlsEnabled() {
            return !tlsCertFile.isEmpty();
        }
    }

    /**
     * @param token       admin API bearer token, empty when none; never shown by {@link #toString()}
     * @param metricsOpen serve {@code /metrics} without the token (a Prometheus in a trusted network)
     * @param tlsCertFile PEM certificate chain, empty for plain HTTP
     * @param tlsKeyFile  PEM private key, empty for plain HTTP
     */
    public record Api(String listenAddress, int port, String token, boolean metricsOpen, String tlsCertFile,
                      String tlsKeyFile) {
        public Api {
            Objects.requireNonNull(listenAddress, "listenAddress");
            Objects.requireNonNull(token, "token");
            Objects.requireNonNull(tlsCertFile, "tlsCertFile");
            Objects.requireNonNull(tlsKeyFile, "tlsKeyFile");
        }

        public boolean tlsEnabled() {
            return !tlsCertFile.isEmpty();
        }

        // A record's generated toString would put the token in any log line that prints the config.
        @Override
        public String toString() {
            return "Api[listenAddress=" + listenAddress + ", port=" + port + ", token="
                    + (token.isEmpty() ? "" : ConfigRenderer.MASK) + ", metricsOpen=" + metricsOpen
                    + ", tlsCertFile=" + tlsCertFile + ", tlsKeyFile=" + tlsKeyFile + "]";
        }
    }

    /**
     * @param joinTokenSecret signs and checks join tokens; empty means the node makes a random one at
     *                        each start (kept empty here, so a reload does not change it); never shown
     *                        by {@link #toString()}
     * @param devTokens       the client listener serves {@code GET /dev/token}; off in production
     */
    public record Auth(String joinTokenSecret, boolean devTokens) {
        public Auth {
            Objects.requireNonNull(joinTokenSecret, "joinTokenSecret");
        }

        @Override
        public String toString() {
            return "Auth[joinTokenSecret=" + (joinTokenSecret.isEmpty() ? "" : ConfigRenderer.MASK)
                    + ", devTokens=" + devTokens + "]";
        }
    }

    /**
     * @param overloadCpuPercent    readiness turns false ("overloaded") above this share of all cores
     * @param consentTimeoutSeconds a participant whose media connection is silent this long is removed
     * @param maxAudioStreams       audio tracks each participant receives at most (the loudest)
     * @param maxVideoStreams       video tracks each participant receives at most (latest speakers)
     */
    public record Limits(int maxCalls, int maxParticipantsPerCall, int keyframeMinIntervalMs,
                         int wsIdleTimeoutSeconds, int overloadCpuPercent, int consentTimeoutSeconds,
                         int maxAudioStreams, int maxVideoStreams) {
        public Duration keyframeMinInterval() {
            return Duration.ofMillis(keyframeMinIntervalMs);
        }

        public Duration wsIdleTimeout() {
            return Duration.ofSeconds(wsIdleTimeoutSeconds);
        }
    }
}
