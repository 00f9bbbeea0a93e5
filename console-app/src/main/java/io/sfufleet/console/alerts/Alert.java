package io.sfufleet.console.alerts;

/**
 * One alert as stored: raised at a time, cleared at a later one (null while it holds).
 *
 * @param key identifies the condition (node, kind and subject), so the same condition is not raised twice
 */
public record Alert(long id, String node, String key, AlertKind kind, AlertSeverity severity, String message,
                    long raisedAtMillis, Long clearedAtMillis) {
    public boolean active() {
        return clearedAtMillis == null;
    }
}
