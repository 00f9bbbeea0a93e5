package io.sfufleet.model.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.sfufleet.model.signal.TrackKind;

/**
 * A track a participant receives from the node. Counters are what the node sent it; loss and
 * jitter are what the receiver reports in its RTCP receiver reports.
 *
 * @param trackId           the track received
 * @param fromParticipantId who publishes it
 * @param kind              audio or video
 * @param ssrc              the SSRC the receiver sees, unsigned 32-bit (the node forwards the publisher's)
 * @param bitrateBps        media bits per second sent to this receiver over the last tick
 * @param packets           RTP packets sent to it
 * @param bytes             RTP bytes sent to it
 * @param lossPercent       fraction lost from the receiver's last report, 0 to 100
 * @param jitterMillis      interarrival jitter from the receiver's last report, milliseconds
 * @param rttMillis         round trip to the receiver (its report on a forwarded sender report); null while not known
 * @param nackCount         NACKs the receiver sent about it
 * @param pliCount          PLI and FIR requests the receiver sent about it
 * @param layer             video: the rid of the simulcast layer forwarded ({@code "q"}, {@code "h"},
 *                          {@code "f"}; {@code "none"} before its first keyframe), {@code "full"} for a
 *                          track without simulcast; null for audio or when the node does not say
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReceivedTrackStats(String trackId, String fromParticipantId, TrackKind kind, long ssrc,
                                 long bitrateBps, long packets, long bytes, double lossPercent, double jitterMillis,
                                 Double rttMillis, long nackCount, long pliCount, String layer) {
    public ReceivedTrackStats {
        Validation.required("trackId", trackId);
        Validation.required("fromParticipantId", fromParticipantId);
        kind = kind == null ? TrackKind.unknown : kind;
        Validation.ssrc("ssrc", ssrc);
        Validation.nonNegative("bitrateBps", bitrateBps);
        Validation.nonNegative("packets", packets);
        Validation.nonNegative("bytes", bytes);
        Validation.percent("lossPercent", lossPercent);
        Validation.nonNegative("jitterMillis", jitterMillis);
        Validation.nonNegativeOrNull("rttMillis", rttMillis);
        Validation.nonNegative("nackCount", nackCount);
        Validation.nonNegative("pliCount", pliCount);
    }
}
