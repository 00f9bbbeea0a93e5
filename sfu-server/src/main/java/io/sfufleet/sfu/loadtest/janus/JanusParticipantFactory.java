package io.sfufleet.sfu.loadtest.janus;

import io.sfufleet.sfu.loadtest.client.ClientRuntime;
import io.sfufleet.sfu.loadtest.client.JoinFailedException;
import io.sfufleet.sfu.loadtest.client.LoadParticipant;
import io.sfufleet.sfu.loadtest.server.ParticipantFactory;
import java.net.URI;
import java.time.Duration;

/** Joins synthetic participants to Janus VideoRooms, one room per call id. */
public final class JanusParticipantFactory implements ParticipantFactory {
    private final ClientRuntime runtime;
    private final URI webSocket;
    private final int roomCapacity;

    /** @param roomCapacity VideoRoom's {@code publishers}: the most participants a call will have */
    public JanusParticipantFactory(ClientRuntime runtime, URI webSocket, int roomCapacity) {
        this.runtime = runtime;
        this.webSocket = webSocket;
        this.roomCapacity = roomCapacity;
    }

    @Override
    public LoadParticipant join(String callId, String name, boolean audio, boolean camera, boolean screen,
                                Duration timeout) throws JoinFailedException, InterruptedException {
        return JanusParticipant.join(runtime, webSocket, callId, name, audio, camera, screen, timeout, roomCapacity);
    }
}
