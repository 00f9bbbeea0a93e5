package io.sfufleet.console.pki;

import io.sfufleet.console.provision.NodeSpec;
import io.sfufleet.console.provision.ProvisionException;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads back the {@code etc/sfu.toml} the console wrote ({@link NodeSpec#toml()}), so a certificate
 * push renders the same node with TLS added instead of guessing its ports. Only that flat
 * shape is understood: {@code [section]} headers and {@code key = value} lines.
 */
final class InstalledConfig {
    private InstalledConfig() {
    }

    static NodeSpec parse(String host, String toml) {
        Map<String, String> v = new HashMap<>();
        String section = "";
        for (String raw : toml.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                section = line.substring(1, line.length() - 1).strip();
                continue;
            }
            int eq = line.indexOf('=');
            if (eq > 0) {
                String value = line.substring(eq + 1).strip();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                v.put(section + "." + line.substring(0, eq).strip(), value);
            }
        }
        try {
            return new NodeSpec(need(v, "node.name"), need(v, "media.bind_address"),
                    Integer.parseInt(need(v, "media.udp_port")), Integer.parseInt(need(v, "http.port")),
                    Integer.parseInt(need(v, "api.port")), need(v, "api.listen_address"),
                    need(v, "media.ice_host_override"));
        } catch (IllegalArgumentException e) {
            throw new ProvisionException("the node config on " + host + " (etc/sfu.toml) is not one this console "
                    + "wrote (" + e.getMessage() + "); install the node with sfu-console install first, then push "
                    + "its certificate");
        }
    }

    private static String need(Map<String, String> v, String key) {
        String s = v.get(key);
        if (s == null || s.isEmpty()) {
            throw new IllegalArgumentException("no " + key);
        }
        return s;
    }
}
