package io.sfufleet.sfu.loadtest.client;

import io.sfufleet.sfu.loadtest.media.DelayHistogram;

/** One simulated participant as a load run sees it, whatever server it is joined to. */
public interface LoadParticipant extends AutoCloseable {
    ParticipantStats stats();

    DelayHistogram delays();

    /** The last error after joining; null when none. */
    String lastError();

    /** Stops sending media but stays in the call, so counters can settle before they are compared. */
    void stopSending();

    /** Leaves the call; idempotent, bounded in time. */
    @Override
    void close();
}
