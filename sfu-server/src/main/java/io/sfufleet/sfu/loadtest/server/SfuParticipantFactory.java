package io.sfufleet.sfu.loadtest.server;

import io.sfufleet.sfu.loadtest.client.ClientRuntime;
import io.sfufleet.sfu.loadtest.client.JoinFailedException;
import io.sfufleet.sfu.loadtest.client.JoinTokenSource;
import io.sfufleet.sfu.loadtest.client.LoadParticipant;
import io.sfufleet.sfu.loadtest.client.ParticipantOptions;
import io.sfufleet.sfu.loadtest.client.SyntheticParticipant;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;

/** Joins synthetic participants to an sfu-fleet node over its signalling protocol. */
public final class SfuParticipantFactory implements ParticipantFactory {
    private final ClientRuntime runtime;
    private final URI clientUrl;
    private final JoinTokenSource tokens;

    public SfuParticipantFactory(ClientRuntime runtime, URI clientUrl, JoinTokenSource tokens) {
        this.runtime = runtime;
        this.clientUrl = clientUrl;
        this.tokens = tokens;
    }

    @Override
    public LoadParticipant join(String callId, String name, boolean audio, boolean camera, boolean screen,
                                Duration timeout) throws JoinFailedException, InterruptedException {
        String token;
        try {
            token = tokens.tokenFor(callId, name);
        } catch (IOException e) {
            throw new JoinFailedException(callId + "/" + name + ": no join token: " + e.getMessage(), e);
        }
        return SyntheticParticipant.join(runtime, ParticipantOptions.of(clientUrl, callId, name, token)
                .withMedia(audio, camera, screen).withJoinTimeout(timeout));
    }
}
