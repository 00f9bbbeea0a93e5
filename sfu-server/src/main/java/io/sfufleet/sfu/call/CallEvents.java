package io.sfufleet.sfu.call;

/**
 * What happens in the calls, for the admin event stream and metrics. Called on the media loop;
 * implementations must only hand the event on (queue, counter), never block.
 */
public interface CallEvents {
    default void callStarted(Call call) {
    }

    default void callEnded(Call call, String reason) {
    }

    default void participantJoined(Participant p) {
    }

    default void participantLeft(Participant p, String reason) {
    }

    default void trackPublished(Track t) {
    }

    default void trackUnpublished(Track t) {
    }

    default void trackMuted(Track t, boolean byAdmin) {
    }

    default void nodeStateChanged(boolean draining, long drainDeadlineMillis) {
    }

    /** The loudest speaker of {@code p}'s call is now {@code p}. */
    default void dominantSpeaker(Participant p) {
    }
}
