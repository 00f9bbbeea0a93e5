package io.sfufleet.console.monitor;

import io.sfufleet.model.api.CallDetail;
import io.sfufleet.model.api.ParticipantDetail;
import io.sfufleet.model.api.PublishedTrackStats;
import io.sfufleet.model.api.ReceivedTrackStats;
import java.util.ArrayList;
import java.util.List;

/**
 * One participant's worst loss and jitter over all its tracks, sent and received, from a quality
 * sweep. The monitor keeps this instead of the {@link CallDetail}s it was read from: it is all the
 * quality alerts need, and a fleet of 10,000 participants held some 200,000 track records (about
 * 75 MB of heap) otherwise.
 *
 * @param name the participant's display name; null when the node gave none
 */
public record ParticipantQuality(String callId, String participantId, String name, double lossPercent,
                                 double jitterMillis) {
    /** Every participant of the call, in the node's order. */
    public static List<ParticipantQuality> of(CallDetail call) {
        List<ParticipantQuality> out = new ArrayList<>(call.participants().size());
        for (ParticipantDetail p : call.participants()) {
            double loss = 0;
            double jitter = 0;
            for (PublishedTrackStats t : p.published()) {
                loss = Math.max(loss, t.lossPercent());
                jitter = Math.max(jitter, t.jitterMillis());
            }
            for (ReceivedTrackStats t : p.received()) {
                loss = Math.max(loss, t.lossPercent());
                jitter = Math.max(jitter, t.jitterMillis());
            }
            out.add(new ParticipantQuality(call.callId(), p.participantId(), p.name(), loss, jitter));
        }
        return out;
    }

    /** Every participant of every call. */
    public static List<ParticipantQuality> of(List<CallDetail> calls) {
        List<ParticipantQuality> out = new ArrayList<>();
        for (CallDetail c : calls) {
            out.addAll(of(c));
        }
        return out;
    }
}
