package io.sfufleet.console.provision;

/** One preflight line's outcome: go, go with a caveat, or fix first. */
public enum Verdict {
    OK, WARN, FAIL
}
