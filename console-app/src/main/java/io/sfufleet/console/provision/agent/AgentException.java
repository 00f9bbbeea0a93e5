package io.sfufleet.console.provision.agent;

/** The agent could not be reached, did not answer in time, answered nonsense or refused to sign. */
public final class AgentException extends RuntimeException {
    public AgentException(String message) {
        super(message);
    }

    public AgentException(String message, Throwable cause) {
        super(message, cause);
    }
}
