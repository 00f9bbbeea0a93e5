package io.sfufleet.console.node;

/** A call to a node's admin API failed: the node answered an error, or could not be reached. */
public abstract sealed class NodeClientException extends RuntimeException
        permits NodeApiException, NodeUnreachableException {
    protected NodeClientException(String message, Throwable cause) {
        super(message, cause);
    }
}
