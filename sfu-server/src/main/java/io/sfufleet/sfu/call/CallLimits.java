package io.sfufleet.sfu.call;

/**
 * The limits the call logic enforces. Taken from the configuration at start and replaced whole on
 * a configuration reload; new values apply to the next join and the next track.
 *
 * @param maxCalls               calls at once; a join that would start one more is refused
 * @param maxParticipantsPerCall participants in one call
 * @param keyframeIntervalNanos  shortest interval between keyframe requests to one publisher (new tracks)
 * @param consentTimeoutNanos    silence on a connected media connection after which the participant is removed
 * @param maxAudioStreams        audio tracks each receiver gets at most: the loudest
 * @param maxVideoStreams        video tracks each receiver gets at most: of the latest speakers
 */
public record CallLimits(int maxCalls, int maxParticipantsPerCall, long keyframeIntervalNanos,
                         long consentTimeoutNanos, int maxAudioStreams, int maxVideoStreams) {
    /** RFC 7675 section 5.1: consent expires 30 s after the last check. */
    public static final long DEFAULT_CONSENT_TIMEOUT_NANOS = 30_000_000_000L;
    public static final int DEFAULT_MAX_AUDIO_STREAMS = 5;
    public static final int DEFAULT_MAX_VIDEO_STREAMS = 9;

    public CallLimits {
        if (maxCalls < 1 || maxParticipantsPerCall < 1 || keyframeIntervalNanos < 0 || consentTimeoutNanos <= 0
                || maxAudioStreams < 1 || maxVideoStreams < 0) {
            throw new IllegalArgumentException("limits out of range: " + maxCalls + ", " + maxParticipantsPerCall
                    + ", " + keyframeIntervalNanos + ", " + consentTimeoutNanos + ", " + maxAudioStreams + ", "
                    + maxVideoStreams);
        }
    }

    /** With RFC 7675's 30 s consent timeout and 5 audio / 9 video streams per receiver. */
    public CallLimits(int maxCalls, int maxParticipantsPerCall, long keyframeIntervalNanos) {
        this(maxCalls, maxParticipantsPerCall, keyframeIntervalNanos, DEFAULT_CONSENT_TIMEOUT_NANOS,
                DEFAULT_MAX_AUDIO_STREAMS, DEFAULT_MAX_VIDEO_STREAMS);
    }
}
