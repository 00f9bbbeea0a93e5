package io.sfufleet.sfu.call;

/**
 * The limits the call logic enforces. Taken from the configuration at start and replaced whole on
 * a configuration reload; new values apply to the next join and the next track.
 *
 * @param maxCalls               calls at once; a join that would start one more is refused
 * @param maxParticipantsPerCall participants in one call
 * @param keyframeIntervalNanos  shortest interval between keyframe requests to one publisher (new tracks)
 */
public record CallLimits(int maxCalls, int maxParticipantsPerCall, long keyframeIntervalNanos) {
    public CallLimits {
        if (maxCalls < 1 || maxParticipantsPerCall < 1 || keyframeIntervalNanos < 0) {
            throw new IllegalArgumentException("limits must be positive: " + maxCalls + ", " + maxParticipantsPerCall
                    + ", " + keyframeIntervalNanos);
        }
    }
}
