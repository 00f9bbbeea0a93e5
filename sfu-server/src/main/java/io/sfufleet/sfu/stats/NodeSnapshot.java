package io.sfufleet.sfu.stats;

import io.sfufleet.model.api.CallDetail;
import io.sfufleet.model.api.CallSummary;
import io.sfufleet.model.api.NodeInfo;
import io.sfufleet.model.api.ParticipantDetail;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The node and its calls at one moment, built on the media loop and then only read: the admin API
 * answers from the latest one and never touches the call objects themselves.
 *
 * @param node          what {@code GET /api/v1/node} answers
 * @param calls         what {@code GET /api/v1/calls} lists, oldest call first
 * @param details       call id to what {@code GET /api/v1/calls/{callId}} answers
 * @param takenAtMillis when it was built, epoch milliseconds
 */
public record NodeSnapshot(NodeInfo node, List<CallSummary> calls, Map<String, CallDetail> details,
                           long takenAtMillis) {
    public NodeSnapshot {
        calls = List.copyOf(calls);
        details = Map.copyOf(details);
    }

    public Optional<CallDetail> call(String callId) {
        return Optional.ofNullable(details.get(callId));
    }

    /** The participant, if the call exists and has it. */
    public Optional<ParticipantDetail> participant(String callId, String participantId) {
        return call(callId).flatMap(c -> c.participants().stream()
                .filter(p -> p.participantId().equals(participantId)).findFirst());
    }
}
