package io.sfufleet.model.signal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * A STUN or TURN server for the client's {@code RTCPeerConnection} ({@code RTCIceServer}), with
 * short-lived TURN credentials the node minted for this participant.
 *
 * @param urls       {@code turn:host:port?transport=udp} and the like, at least one
 * @param username   for TURN: {@code <expiry, unix seconds>:<participantId>} (coturn's REST scheme); null for STUN
 * @param credential for TURN: the password that goes with {@code username}; null for STUN
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record IceServer(List<String> urls, String username, String credential) {
    public IceServer {
        urls = urls == null ? List.of() : List.copyOf(urls);
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("an ICE server needs at least one URL");
        }
    }
}
