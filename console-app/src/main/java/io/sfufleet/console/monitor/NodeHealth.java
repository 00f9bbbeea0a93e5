package io.sfufleet.console.monitor;

/** What the console knows of a node right now; {@link #severity()} drives colours and alerts. */
public enum NodeHealth {
    /** No answer yet since the console started watching it. */
    CONNECTING(Severity.UNKNOWN),
    /** Running and ready for joins. */
    UP(Severity.OK),
    /** Draining on purpose: no new joins, calls run to their end or the deadline. */
    DRAINING(Severity.WARN),
    /** Answering, but its readiness probe says no (not draining). */
    NOT_READY(Severity.WARN),
    /** The API refused the console's token. */
    AUTH_FAILED(Severity.DOWN),
    /** Something answers, but not with the admin API's events. */
    BAD_ANSWER(Severity.DOWN),
    /** Connection refused, dropped, timed out, or no data for the stale time. */
    UNREACHABLE(Severity.DOWN);

    public enum Severity { OK, UNKNOWN, WARN, DOWN }

    private final Severity severity;

    NodeHealth(Severity severity) {
        this.severity = severity;
    }

    public Severity severity() {
        return severity;
    }
}
