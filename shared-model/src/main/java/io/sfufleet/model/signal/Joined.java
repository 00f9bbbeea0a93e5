package io.sfufleet.model.signal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * The node accepted the join.
 *
 * @param protocolVersion the node's protocol version
 * @param callId          the call joined
 * @param participantId   the id the node gave this participant
 * @param participants    the others already in the call, with their tracks
 * @param nodeName        the node's configured name, for diagnostics
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Joined(int protocolVersion, String callId, String participantId,
                     List<ParticipantInfo> participants, String nodeName) implements ServerMessage {
    public Joined {
        Validation.notNull("participantId", participantId);
        participants = participants == null ? List.of() : List.copyOf(participants);
    }
}
