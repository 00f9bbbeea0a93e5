package io.sfufleet.console.actions;

import io.sfufleet.console.audit.AuditLog;
import io.sfufleet.console.fleet.Inventory;
import io.sfufleet.console.fleet.NodeEntry;
import io.sfufleet.console.node.NodeClient;
import java.util.function.Supplier;

/** Changes to the fleet inventory, each audited with its result: shared by the window and the CLI. */
public final class InventoryActions {
    private final Inventory inventory;
    private final AuditLog audit;

    public InventoryActions(Inventory inventory, AuditLog audit) {
        this.inventory = inventory;
        this.audit = audit;
    }

    /** Adds a node; the URL must be http(s), the name new. The token is stored encrypted. */
    public NodeEntry add(String name, String url, String token) {
        return audited(name, "nodes.add", url, () -> {
            NodeClient.parseBaseUrl(url);
            return inventory.add(name, url, token);
        });
    }

    /** Changes a node's address, and its token unless {@code token} is null or empty (then the stored one stays). */
    public NodeEntry update(String name, String url, String token) {
        return audited(name, "nodes.edit", url, () -> {
            NodeClient.parseBaseUrl(url);
            return inventory.update(name, url, token == null || token.isEmpty() ? null : token);
        });
    }

    /** Removes a node from the inventory (the node itself is not touched); refused when there is none of that name. */
    public void remove(String name) {
        audited(name, "nodes.remove", null, () -> {
            if (!inventory.remove(name)) {
                throw new IllegalArgumentException("no node named " + name + " in the inventory");
            }
            return null;
        });
    }

    private <T> T audited(String node, String action, String target, Supplier<T> change) {
        try {
            T result = change.get();
            audit.record(node, action, target, "ok");
            return result;
        } catch (RuntimeException e) {
            audit.record(node, action, target, "error: " + e.getMessage());
            throw e;
        }
    }
}
