package io.sfufleet.sfu.call;

import io.sfufleet.model.signal.ErrorCode;

/** A join the node does not accept; the code tells the client whether to try elsewhere. */
public final class JoinRefused extends Exception {
    private final ErrorCode code;

    public JoinRefused(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
