package io.sfufleet.console.provision;

import io.sfufleet.model.config.ConfigKey;
import io.sfufleet.model.config.ConfigRenderer;
import java.util.EnumMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What the console decides about a node it installs, rendered into the host's {@code etc/sfu.toml}.
 * Keys not here keep the server's defaults; for a new host these fields are the defaults of its typed
 * config ({@code provision.config.NodeConfig}), which covers every key. Secrets (the API token, the
 * join-token secret) go to {@code etc/sfu-server.env} (0600), never into the TOML file.
 *
 * @param publicAddress the address clients and the console reach the node at (ICE host candidate,
 *                      admin API URL)
 */
public record NodeSpec(String nodeName, String bindAddress, int mediaPort, int httpPort, int apiPort,
        String apiListenAddress, String publicAddress) {
    private static final Pattern IP = Pattern.compile("[0-9a-fA-F.:]{2,45}");

    public NodeSpec {
        if (nodeName == null || !HostStore.NAME.matcher(nodeName).matches()) {
            throw new IllegalArgumentException("node name must be 1 to 64 characters of [A-Za-z0-9._-], not " + nodeName);
        }
        for (String a : new String[] {bindAddress, apiListenAddress, publicAddress}) {
            if (a == null || !IP.matcher(a).matches()) {
                throw new IllegalArgumentException("addresses in the node config must be IP addresses, not " + a);
            }
        }
        for (int p : new int[] {mediaPort, httpPort, apiPort}) {
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException("ports must be 1 to 65535, not " + p);
            }
        }
        if (mediaPort == apiPort || httpPort == apiPort) {
            throw new IllegalArgumentException("the API port " + apiPort + " must differ from the media and client ports");
        }
    }

    /** The defaults of the server's sfu.toml, on every address, named after the host. */
    public static NodeSpec defaults(HostEntry host) {
        return new NodeSpec(host.name(), "0.0.0.0", 8443, 8080, 8045, "0.0.0.0", host.address());
    }

    /** The keys this spec decides, as the shared config schema types them; every other key keeps its default. */
    public Map<ConfigKey, Object> values() {
        var v = new EnumMap<ConfigKey, Object>(ConfigKey.class);
        v.put(ConfigKey.NODE_NAME, nodeName);
        v.put(ConfigKey.MEDIA_BIND_ADDRESS, bindAddress);
        v.put(ConfigKey.MEDIA_UDP_PORT, (long) mediaPort);
        v.put(ConfigKey.MEDIA_TCP_PORT, (long) mediaPort);
        v.put(ConfigKey.MEDIA_ICE_HOST_OVERRIDE, publicAddress);
        v.put(ConfigKey.HTTP_LISTEN_ADDRESS, bindAddress);
        v.put(ConfigKey.HTTP_PORT, (long) httpPort);
        v.put(ConfigKey.API_LISTEN_ADDRESS, apiListenAddress);
        v.put(ConfigKey.API_PORT, (long) apiPort);
        return v;
    }

    /** The TOML the node reads: every key but the secrets, rendered by the server's own renderer. */
    public String toml() {
        return ConfigRenderer.renderFile(HEADER, values());
    }

    /** First lines of every file the console writes. */
    public static final String HEADER = "Written by the sfu-fleet console; changes made here are overwritten by the next"
            + " install or push,\nand flagged as drift by sfu-console config drift. Secrets are in sfu-server.env.";

    public String apiUrl() {
        return "http://" + (publicAddress.contains(":") ? "[" + publicAddress + "]" : publicAddress) + ":" + apiPort;
    }
}
