package io.sfufleet.model.signal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * A participant of the call.
 *
 * @param participantId unique in the call, chosen by the node
 * @param name          display name from {@link Join}
 * @param joinedAtMillis when the node accepted the join, epoch milliseconds
 * @param tracks        the tracks it publishes now
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ParticipantInfo(String participantId, String name, long joinedAtMillis, List<TrackInfo> tracks) {
    public ParticipantInfo {
        Validation.notNull("participantId", participantId);
        tracks = tracks == null ? List.of() : List.copyOf(tracks);
    }
}
