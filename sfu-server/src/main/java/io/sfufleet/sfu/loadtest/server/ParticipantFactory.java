package io.sfufleet.sfu.loadtest.server;

import io.sfufleet.sfu.loadtest.client.JoinFailedException;
import io.sfufleet.sfu.loadtest.client.LoadParticipant;
import java.time.Duration;

/** Joins one simulated participant to a server of some kind. */
@FunctionalInterface
public interface ParticipantFactory {
    LoadParticipant join(String callId, String name, boolean audio, boolean camera, boolean screen, Duration timeout)
            throws JoinFailedException, InterruptedException;
}
