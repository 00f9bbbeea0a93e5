package io.sfufleet.sfu;

import io.sfufleet.sfu.auth.JoinTokens;
import io.sfufleet.sfu.auth.Permission;
import io.sfufleet.sfu.config.ConfigLoader;
import io.sfufleet.sfu.config.SfuConfig;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Starts nodes for tests: loopback only, advertised as 127.0.0.1, on free ports, with the join
 * secret {@link #JOIN_SECRET} so tests mint their own tokens ({@link #token}); dev tokens off.
 */
public final class TestNodes {
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
        env.put("SFU_MEDIA_UDP_PORT", Integer.toString(FreePorts.udp()));
        env.put("SFU_HTTP_PORT", Integer.toString(FreePorts.tcp()));
        env.put("SFU_API_PORT", Integer.toString(FreePorts.tcp()));
        env.put("SFU_AUTH_JOIN_TOKEN_SECRET", JOIN_SECRET);
        env.putAll(extraEnv);
        SfuConfig config = ConfigLoader.load(null, env);
        return SfuNode.start(config);
    }

    /** A token for {@code call} as {@code name} with every permission, valid for 5 minutes. */
    public static String token(String call, String name) {
        return token(call, name, EnumSet.allOf(Permission.class));
    }

    public static String token(String call, String name, Set<Permission> perms) {
        return TOKENS.mint(call, name, perms, Duration.ofMinutes(5), "sfu-fleet-tests");
    }
}
