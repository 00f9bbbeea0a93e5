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
 * @param tlsCertFile   PEM chain for HTTPS/WSS on the client port and HTTPS on the API; null for
 *                      plain HTTP (set together with {@code tlsKeyFile})
 */
public record NodeSpec(String nodeName, String bindAddress, int mediaPort, int httpPort, int apiPort,
        String apiListenAddress, String publicAddress, String tlsCertFile, String tlsKeyFile) {

    /** Plain HTTP. */
    public NodeSpec(String nodeName, String bindAddress, int mediaPort, int httpPort, int apiPort,
            String apiListenAddress, String publicAddress) {
        this(nodeName, bindAddress, mediaPort, httpPort, apiPort, apiListenAddress, publicAddress, null, null);
    }

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
        if ((tlsCertFile == null) != (tlsKeyFile == null)) {
            throw new IllegalArgumentException("the TLS certificate and key files go together");
        }
        for (String f : new String[] {tlsCertFile, tlsKeyFile}) {
            // they go into the TOML unescaped, like the addresses
            if (f != null && (!HostStore.PREFIX.matcher(f).matches() || f.contains(".."))) {
                throw new IllegalArgumentException("TLS file paths must be absolute paths of [A-Za-z0-9._/-], not " + f);
            }
        }
    }

    /** The same node serving HTTPS/WSS and an HTTPS admin API with this certificate chain and key. */
    public NodeSpec withTls(String certFile, String keyFile) {
        return new NodeSpec(nodeName, bindAddress, mediaPort, httpPort, apiPort, apiListenAddress, publicAddress,
                certFile, keyFile);
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
        if (tlsCertFile != null) {
            v.put(ConfigKey.HTTP_TLS_CERT_FILE, tlsCertFile);
            v.put(ConfigKey.HTTP_TLS_KEY_FILE, tlsKeyFile);
            v.put(ConfigKey.API_TLS_CERT_FILE, tlsCertFile);
            v.put(ConfigKey.API_TLS_KEY_FILE, tlsKeyFile);
        }
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
        return (tlsCertFile == null ? "http://" : "https://")
                + (publicAddress.contains(":") ? "[" + publicAddress + "]" : publicAddress) + ":" + apiPort;
    }
}
