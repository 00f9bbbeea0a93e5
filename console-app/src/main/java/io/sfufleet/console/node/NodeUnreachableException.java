package io.sfufleet.console.node;

/** No answer from the node: connection refused, timeout, TLS failure, or an answer that is not the API's. */
public final class NodeUnreachableException extends NodeClientException {
    public NodeUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
