package io.sfufleet.sfu.config;

import static io.sfufleet.model.config.ConfigKey.*;

import io.sfufleet.model.config.ConfigKey;
import io.sfufleet.model.config.ConfigProblem;
import io.sfufleet.model.config.ConfigReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@link SfuConfig}: built-in defaults, then one TOML file, then {@code SFU_<SECTION>_<KEY>}
 * environment variables, then automatic values, then validation, all by shared-model's
 * {@link ConfigReader} (the rules the console validates with). Every problem is reported together
 * in one {@link ConfigException}.
 */
public final class ConfigLoader {

    private ConfigLoader() {
    }

    /**
     * Loads the configuration of the node running on this machine.
     *
     * @param fileOrNull TOML file, or null for defaults and environment only; a given file must exist
     * @param env        environment variables, usually {@link System#getenv()}
     * @throws ConfigException listing every problem found
     */
    public static SfuConfig load(Path fileOrNull, Map<String, String> env) {
        return load(fileOrNull, env, HostEnvironment.system());
    }

    /** As {@link #load(Path, Map)}, with automatic values and file checks taken from {@code host}. */
    public static SfuConfig load(Path fileOrNull, Map<String, String> env, HostEnvironment host) {
        var reader = ConfigReader.defaults();
        if (fileOrNull != null) {
            reader.file(fileOrNull);
        }
        reader.env(env).resolveAutomatic(host);
        List<ConfigProblem> problems = reader.validate(host);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return build(reader);
    }

    private static SfuConfig build(ConfigReader r) {
        return new SfuConfig(
                new SfuConfig.Node(string(r, NODE_NAME)),
                new SfuConfig.Media(string(r, MEDIA_BIND_ADDRESS), integer(r, MEDIA_UDP_PORT), integer(r, MEDIA_TCP_PORT),
                        string(r, MEDIA_ICE_HOST_OVERRIDE), stringList(r, MEDIA_STUN_SERVERS),
                        integer(r, MEDIA_UDP_SOCKET_BUFFER_BYTES), bool(r, MEDIA_UDP_ENABLED),
                        integer(r, MEDIA_TCP_MAX_CONNECTIONS), stringList(r, MEDIA_TURN_URLS),
                        string(r, MEDIA_TURN_SECRET), integer(r, MEDIA_TURN_CREDENTIAL_TTL_SECONDS),
                        stringList(r, MEDIA_VIDEO_CODECS)),
                new SfuConfig.Http(string(r, HTTP_LISTEN_ADDRESS), integer(r, HTTP_PORT), integer(r, HTTP_MAX_MESSAGE_BYTES),
                        string(r, HTTP_TLS_CERT_FILE), string(r, HTTP_TLS_KEY_FILE)),
                new SfuConfig.Api(string(r, API_LISTEN_ADDRESS), integer(r, API_PORT), string(r, API_TOKEN),
                        bool(r, API_METRICS_OPEN), string(r, API_TLS_CERT_FILE), string(r, API_TLS_KEY_FILE)),
                new SfuConfig.Auth(string(r, AUTH_JOIN_TOKEN_SECRET), bool(r, AUTH_DEV_TOKENS)),
                new SfuConfig.Limits(integer(r, LIMITS_MAX_CALLS), integer(r, LIMITS_MAX_PARTICIPANTS_PER_CALL),
                        integer(r, LIMITS_KEYFRAME_MIN_INTERVAL_MS), integer(r, LIMITS_WS_IDLE_TIMEOUT_SECONDS),
                        integer(r, LIMITS_OVERLOAD_CPU_PERCENT), integer(r, LIMITS_CONSENT_TIMEOUT_SECONDS),
                        integer(r, LIMITS_MAX_AUDIO_STREAMS), integer(r, LIMITS_MAX_VIDEO_STREAMS)));
    }

    private static String string(ConfigReader r, ConfigKey key) {
        return (String) r.value(key);
    }

    /** Only after validation, which has checked every integer against its int-sized range. */
    private static int integer(ConfigReader r, ConfigKey key) {
        return Math.toIntExact((Long) r.value(key));
    }

    private static boolean bool(ConfigReader r, ConfigKey key) {
        return (Boolean) r.value(key);
    }

    @SuppressWarnings("unchecked")
    private static List<String> stringList(ConfigReader r, ConfigKey key) {
        return (List<String>) r.value(key);
    }
}
