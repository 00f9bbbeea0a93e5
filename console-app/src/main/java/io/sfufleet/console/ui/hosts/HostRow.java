package io.sfufleet.console.ui.hosts;

import io.sfufleet.console.provision.HostEntry;
import java.util.Locale;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/** One line of the Hosts table: the stored host, the node installed on it and that node's state. */
public final class HostRow {
    private final HostEntry host;
    private final StringProperty node = new SimpleStringProperty("");
    private final StringProperty state = new SimpleStringProperty("");
    private final StringProperty config = new SimpleStringProperty("");

    HostRow(HostEntry host, boolean hasNode) {
        this.host = host;
        node.set(hasNode ? host.name() : "—");
        state.set(hasNode ? "CONNECTING" : "no node");
    }

    public HostEntry host() { return host; }
    public String name() { return host.name(); }
    public String target() { return host.address() + ":" + host.sshPort(); }
    public String user() { return host.user(); }

    public String auth() {
        return switch (host.auth()) {
            case KEY -> "key " + java.nio.file.Path.of(host.keyFile()).getFileName()
                    + (host.secret() != null ? " (passphrase)" : "");
            case PASSWORD -> "password";
            case AGENT -> "ssh-agent";
        };
    }

    /** The pinned fingerprint, or a plain "not trusted" for a host whose key was never accepted. */
    public String hostKey() {
        return host.trusted() ? host.hostKeyType() + " " + host.hostKeyFingerprint() : "not trusted";
    }

    public StringProperty nodeProperty() { return node; }
    public StringProperty stateProperty() { return state; }
    /** The last drift check's verdict on the host's sfu.toml (empty before one). */
    public StringProperty configProperty() { return config; }

    @Override
    public String toString() {
        return name() + " " + target() + " " + hostKey().toLowerCase(Locale.ROOT);
    }
}
