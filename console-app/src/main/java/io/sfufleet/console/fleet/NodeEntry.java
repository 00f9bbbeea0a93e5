package io.sfufleet.console.fleet;

import java.util.Objects;

/**
 * A node of the inventory. {@code token} is the decrypted admin token, null when the inventory was
 * opened without a passphrase or the node has none; {@link #toString()} never shows it.
 */
public record NodeEntry(long id, String name, String apiUrl, String token, long addedAtMillis) {
    public NodeEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(apiUrl, "apiUrl");
    }

    @Override
    public String toString() {
        return "NodeEntry[id=" + id + ", name=" + name + ", apiUrl=" + apiUrl + ", token="
                + (token == null ? "none" : "***") + "]";
    }
}
