package io.sfufleet.sfu;

import io.sfufleet.sfu.config.ConfigLoader;
import io.sfufleet.sfu.config.ConfigSource;
import io.sfufleet.sfu.config.SfuConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Starts nodes for tests: loopback only, advertised as 127.0.0.1, on free ports, with an admin API token. */
public final class TestNodes {
    /** The admin API token of every test node (unless a test overrides SFU_API_TOKEN). */
    public static final String API_TOKEN = "test-admin-token_0123456789";

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
        env.put("SFU_API_TOKEN", API_TOKEN);
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
     * A test node's configuration file: loopback, the given ports, the test token, plus {@code limits}
     * lines for the [limits] table (e.g. {@code "max_calls = 5"}).
     */
    public static String toml(int udpPort, int httpPort, int apiPort, String... limits) {
        return """
                [media]
                bind_address = "127.0.0.1"
                ice_host_override = "127.0.0.1"
                udp_port = %d
                [http]
                listen_address = "127.0.0.1"
                port = %d
                [api]
                port = %d
                token = "%s"
                [limits]
                %s
                """.formatted(udpPort, httpPort, apiPort, API_TOKEN, String.join("\n", limits));
    }
}
