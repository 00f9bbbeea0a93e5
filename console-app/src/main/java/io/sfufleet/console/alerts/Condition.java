package io.sfufleet.console.alerts;

/** A condition that holds right now; an alert is raised when one appears and cleared when it is gone. */
public record Condition(String node, String key, AlertKind kind, String message) {
}
