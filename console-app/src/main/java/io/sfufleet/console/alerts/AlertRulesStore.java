package io.sfufleet.console.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sfufleet.console.store.ConsoleDatabase;
import io.sfufleet.console.store.StoreException;
import java.io.IOException;
import java.time.Duration;

/**
 * The site's alert thresholds, kept in the console database (the defaults until someone sets
 * them), so the window, {@code sfu-console watch} and every operator's console on this database
 * judge the fleet alike.
 */
public final class AlertRulesStore {
    private static final String KEY = "alert_rules";
    private static final ObjectMapper JSON = new ObjectMapper();

    private AlertRulesStore() {
    }

    public static AlertRules load(ConsoleDatabase db) {
        byte[] stored;
        synchronized (db) {
            stored = db.meta(KEY).orElse(null);
        }
        if (stored == null) {
            return AlertRules.DEFAULTS;
        }
        try {
            JsonNode n = JSON.readTree(stored);
            AlertRules d = AlertRules.DEFAULTS;
            return new AlertRules(n.path("cpuPercent").asDouble(d.cpuPercent()),
                    n.path("lossPercent").asDouble(d.lossPercent()), n.path("jitterMillis").asDouble(d.jitterMillis()),
                    Duration.ofSeconds(n.path("drainGraceSeconds").asLong(d.drainGrace().toSeconds())));
        } catch (IOException | IllegalArgumentException e) {
            throw new StoreException("the alert thresholds stored in " + db.file() + " are unreadable: " + e.getMessage()
                    + " (set them again with: sfu-console alert-rules --cpu ... )", e);
        }
    }

    public static void save(ConsoleDatabase db, AlertRules rules) {
        ObjectNode n = JSON.createObjectNode();
        n.put("cpuPercent", rules.cpuPercent());
        n.put("lossPercent", rules.lossPercent());
        n.put("jitterMillis", rules.jitterMillis());
        n.put("drainGraceSeconds", rules.drainGrace().toSeconds());
        try {
            byte[] bytes = JSON.writeValueAsBytes(n);
            synchronized (db) {
                db.putMeta(KEY, bytes);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the alert thresholds", e);
        }
    }
}
