package io.sfufleet.console.ui.node;

import io.sfufleet.model.api.CallSummary;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleLongProperty;

/** A call of the node, updated in place each pulse so that the user's selection stays on it. */
public final class CallRow {
    private final String callId;
    private final long createdAtMillis;
    private final IntegerProperty participants = new SimpleIntegerProperty();
    private final IntegerProperty tracks = new SimpleIntegerProperty();
    private final LongProperty kbpsIn = new SimpleLongProperty();
    private final LongProperty kbpsOut = new SimpleLongProperty();

    CallRow(CallSummary c) {
        this.callId = c.callId();
        this.createdAtMillis = c.createdAtMillis();
        apply(c);
    }

    void apply(CallSummary c) {
        participants.set(c.participants());
        tracks.set(c.tracks());
        kbpsIn.set(c.bitrateInBps() / 1000);
        kbpsOut.set(c.bitrateOutBps() / 1000);
    }

    public String callId() { return callId; }
    public long createdAtMillis() { return createdAtMillis; }
    public IntegerProperty participantsProperty() { return participants; }
    public IntegerProperty tracksProperty() { return tracks; }
    public LongProperty kbpsInProperty() { return kbpsIn; }
    public LongProperty kbpsOutProperty() { return kbpsOut; }
}
