package io.sfufleet.sfu;

import io.sfufleet.sfu.config.ConfigLoader;
import io.sfufleet.sfu.config.SfuConfig;
import java.util.HashMap;
import java.util.Map;

/** Starts nodes for tests: loopback only, advertised as 127.0.0.1, on free ports. */
public final class TestNodes {
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
        env.putAll(extraEnv);
        SfuConfig config = ConfigLoader.load(null, env);
        return SfuNode.start(config);
    }
}
