package io.sfufleet.model.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.sfufleet.model.signal.MediaSource;
import io.sfufleet.model.signal.TrackKind;

/**
 * A track a participant publishes, as the node receives it. Counters are since the track started;
 * {@code bitrateBps} and {@code lossPercent} are over the last stats tick (one second).
 *
 * @param trackId     unique in the call (the {@code trackId} of signalling)
 * @param kind        audio or video
 * @param source      microphone, camera or screen
 * @param codec       {@code name/clockRate[/channels]} as in the SDP rtpmap: {@code opus/48000/2}, {@code VP8/90000}
 * @param ssrc        the publisher's SSRC, unsigned 32-bit
 * @param muted       the publisher has it muted (it sends nothing)
 * @param adminMuted  an admin muted it: the node forwards nothing until the participant unmutes
 * @param bitrateBps  media bits per second received
 * @param packets     RTP packets received
 * @param bytes       RTP bytes received
 * @param packetsLost packets the node expected and did not get (RFC 3550 cumulative loss, clamped at 0)
 * @param lossPercent percent of the expected packets lost over the last tick, 0 to 100
 * @param jitterMillis interarrival jitter the node measures (RFC 3550), milliseconds
 * @param rttMillis   round trip between the node and the publisher; null while not known
 * @param nackCount   NACKs the receivers sent about this track (forwarded to the publisher)
 * @param pliCount    PLI and FIR keyframe requests the receivers sent about it
 * @param receivers   participants receiving it now
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PublishedTrackStats(String trackId, TrackKind kind, MediaSource source, String codec, long ssrc,
                                  boolean muted, boolean adminMuted, long bitrateBps, long packets, long bytes,
                                  long packetsLost, double lossPercent, double jitterMillis, Double rttMillis,
                                  long nackCount, long pliCount, int receivers) {
    public PublishedTrackStats {
        Validation.required("trackId", trackId);
        kind = kind == null ? TrackKind.unknown : kind;
        source = source == null ? MediaSource.unknown : source;
        Validation.ssrc("ssrc", ssrc);
        Validation.nonNegative("bitrateBps", bitrateBps);
        Validation.nonNegative("packets", packets);
        Validation.nonNegative("bytes", bytes);
        Validation.nonNegative("packetsLost", packetsLost);
        Validation.percent("lossPercent", lossPercent);
        Validation.nonNegative("jitterMillis", jitterMillis);
        Validation.nonNegativeOrNull("rttMillis", rttMillis);
        Validation.nonNegative("nackCount", nackCount);
        Validation.nonNegative("pliCount", pliCount);
        Validation.nonNegative("receivers", receivers);
    }
}
