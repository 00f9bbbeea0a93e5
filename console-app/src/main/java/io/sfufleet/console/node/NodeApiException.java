package io.sfufleet.console.node;

import io.sfufleet.model.api.ApiError;

/** The node answered with an error status; {@link #error()} is its {@link ApiError} body. */
public final class NodeApiException extends NodeClientException {
    private final transient ApiError error;

    public NodeApiException(String what, ApiError error) {
        super(what + ": " + error.status() + " " + error.error() + ": " + error.message()
                + (error.field() == null ? "" : " (field " + error.field() + ")"), null);
        this.error = error;
    }

    public ApiError error() {
        return error;
    }

    public int status() {
        return error.status();
    }
}
