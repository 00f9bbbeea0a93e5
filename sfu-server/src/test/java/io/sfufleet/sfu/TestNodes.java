package io.sfufleet.sfu;

import io.sfufleet.sfu.auth.JoinTokens;
import io.sfufleet.sfu.auth.Permission;
import io.sfufleet.sfu.config.ConfigLoader;
import io.sfufleet.sfu.config.ConfigSource;
import io.sfufleet.sfu.config.SfuConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Starts nodes for tests: loopback only, advertised as 127.0.0.1, on free ports, with the join
 * secret {@link #JOIN_SECRET} so tests mint their own tokens ({@link #token}); dev tokens off; the
 * admin API token {@link #API_TOKEN}.
 */
public final class TestNodes {
    /** {@code api.token} of every test node (unless a test overrides SFU_API_TOKEN). */
    public static final String API_TOKEN = "test-admin-token_0123456789";
    /** {@code auth.join_token_secret} of every test node (unless a test overrides it). */
    public static final String JOIN_SECRET = "test-join-secret-0123456789abcdef-0123456789";
    /** Mints with {@link #JOIN_SECRET}, independently of any node. */
    private static final JoinTokens TOKENS =
            new JoinTokens(JOIN_SECRET.getBytes(StandardCharsets.UTF_8), Clock.systemUTC());

    private TestNodes() {
    }

    public static SfuNode start() throws Exception {
        return start(Map.of());
    }

    public static SfuNode start(Map<String, String> extraEnv) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("SFU_MEDIA_BIND_ADDRESS", "127.0.0.1");
        env.put("SFU_MEDIA_ICE_HOST_OVERRIDE", "127.0.0.1");
        env.put("SFU_HTTP_LISTEN_ADDRESS", "127.0.0.1");
        int mediaPort = FreePorts.udpAndTcp();
        env.put("SFU_MEDIA_UDP_PORT", Integer.toString(mediaPort));
        env.put("SFU_MEDIA_TCP_PORT", Integer.toString(mediaPort));
        env.put("SFU_HTTP_PORT", Integer.toString(FreePorts.tcp()));
        env.put("SFU_API_PORT", Integer.toString(FreePorts.tcp()));
        env.put("SFU_AUTH_JOIN_TOKEN_SECRET", JOIN_SECRET);
        env.put("SFU_API_TOKEN", API_TOKEN);
        // a busy test machine must not make a test node unready: 100 % of all cores is never exceeded
        env.put("SFU_LIMITS_OVERLOAD_CPU_PERCENT", "100");
        env.putAll(extraEnv);
        SfuConfig config = ConfigLoader.load(null, env);
        return SfuNode.start(config);
    }

    /**
     * Starts a node from a TOML file (and no environment), as {@code sfu-server --config FILE} does,
     * so that a reload rereads it. Write the file with {@link #toml} first.
     */
    public static SfuNode startFromFile(Path file) throws Exception {
        ConfigSource source = new ConfigSource(file, Map.of());
        return SfuNode.start(source.load(), source);
    }

    /**
     * A test node's configuration file: loopback, the given ports (ICE-TCP on the UDP port's number,
     * so pick it with {@link FreePorts#udpAndTcp()}), the test secrets, plus {@code limits}
     * lines for the [limits] table (e.g. {@code "max_calls = 5"}).
     */
    public static String toml(int udpPort, int httpPort, int apiPort, String... limits) {
        return """
                [media]
                bind_address = "127.0.0.1"
                ice_host_override = "127.0.0.1"
                udp_port = %d
                tcp_port = %d
                [http]
                listen_address = "127.0.0.1"
                port = %d
                [api]
                port = %d
                token = "%s"
                [auth]
                join_token_secret = "%s"
                [limits]
                overload_cpu_percent = 100
                %s
                """.formatted(udpPort, udpPort, httpPort, apiPort, API_TOKEN, JOIN_SECRET, String.join("\n", limits));
    }

    /** A token for {@code call} as {@code name} with every permission, valid for 5 minutes. */
    public static String token(String call, String name) {
        return token(call, name, EnumSet.allOf(Permission.class));
    }

    public static String token(String call, String name, Set<Permission> perms) {
        return TOKENS.mint(call, name, perms, Duration.ofMinutes(5), "sfu-fleet-tests");
    }
}
