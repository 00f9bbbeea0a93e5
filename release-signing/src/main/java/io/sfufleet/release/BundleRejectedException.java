package io.sfufleet.release;

import java.util.List;

/** A release tree that must not be installed, with every reason found (path and what is wrong). */
public final class BundleRejectedException extends Exception {
    private final List<String> reasons;

    public BundleRejectedException(List<String> reasons) {
        super("bundle refused: " + String.join("; ", reasons));
        this.reasons = List.copyOf(reasons);
    }

    public List<String> reasons() {
        return reasons;
    }
}
