package io.sfufleet.console.alerts;

/** What an alert is about. */
public enum AlertKind {
    NODE_UNREACHABLE(AlertSeverity.CRITICAL),
    NODE_NOT_READY(AlertSeverity.WARNING),
    CPU_HIGH(AlertSeverity.WARNING),
    PARTICIPANT_LOSS(AlertSeverity.WARNING),
    PARTICIPANT_JITTER(AlertSeverity.WARNING),
    DRAIN_OVERDUE(AlertSeverity.CRITICAL),
    CERT_EXPIRING(AlertSeverity.WARNING),
    CERT_EXPIRED(AlertSeverity.CRITICAL);

    private final AlertSeverity severity;

    AlertKind(AlertSeverity severity) {
        this.severity = severity;
    }

    public AlertSeverity severity() {
        return severity;
    }
}
