package io.sfufleet.console.ui.call;

import io.sfufleet.model.api.ParticipantDetail;
import io.sfufleet.model.api.PublishedTrackStats;
import io.sfufleet.model.api.ReceivedTrackStats;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/** One participant of the call, updated in place each poll so the selection stays put. */
public final class ParticipantRow {
    private final String id;
    private final StringProperty name = new SimpleStringProperty("");
    private final StringProperty address = new SimpleStringProperty("");
    private final StringProperty candidate = new SimpleStringProperty("");
    private final StringProperty connection = new SimpleStringProperty("");
    private final StringProperty tracks = new SimpleStringProperty("");
    private final LongProperty kbpsUp = new SimpleLongProperty();
    private final LongProperty kbpsDown = new SimpleLongProperty();
    private final DoubleProperty lossPercent = new SimpleDoubleProperty();
    private final DoubleProperty jitterMillis = new SimpleDoubleProperty();
    private final StringProperty rtt = new SimpleStringProperty("");
    /** The node's estimate of the participant's downlink (TWCC), kb/s; empty while the node has none. */
    private final StringProperty estimate = new SimpleStringProperty("");

    ParticipantRow(String id) {
        this.id = id;
    }

    /** The figures of one poll; also the point of the quality chart. */
    record Quality(long kbpsUp, long kbpsDown, double lossPercent, double jitterMillis) {
    }

    Quality apply(ParticipantDetail p) {
        name.set(p.name() == null ? "" : p.name());
        address.set(p.remoteAddress() == null ? "" : p.remoteAddress() + ":" + p.remotePort());
        candidate.set(p.candidateType().name());
        connection.set("publish " + p.publishState() + ", subscribe " + p.subscribeState());
        long up = 0;
        long down = 0;
        double loss = 0;
        double jitter = 0;
        Double worstRtt = null;
        for (PublishedTrackStats t : p.published()) {
            up += t.bitrateBps();
            loss = Math.max(loss, t.lossPercent());
            jitter = Math.max(jitter, t.jitterMillis());
            worstRtt = max(worstRtt, t.rttMillis());
        }
        for (ReceivedTrackStats t : p.received()) {
            down += t.bitrateBps();
            loss = Math.max(loss, t.lossPercent());
            jitter = Math.max(jitter, t.jitterMillis());
            worstRtt = max(worstRtt, t.rttMillis());
        }
        tracks.set(p.published().size() + " sent, " + p.received().size() + " received");
        kbpsUp.set(up / 1000);
        kbpsDown.set(down / 1000);
        lossPercent.set(loss);
        jitterMillis.set(jitter);
        rtt.set(worstRtt == null ? "" : String.format(java.util.Locale.ROOT, "%.0f", worstRtt));
        estimate.set(p.estimatedBitrateBps() == null ? "" : Long.toString(p.estimatedBitrateBps() / 1000));
        return new Quality(up / 1000, down / 1000, loss, jitter);
    }

    private static Double max(Double a, Double b) {
        return a == null ? b : b == null ? a : Double.valueOf(Math.max(a, b));
    }

    public String id() { return id; }
    public StringProperty nameProperty() { return name; }
    public StringProperty addressProperty() { return address; }
    public StringProperty candidateProperty() { return candidate; }
    public StringProperty connectionProperty() { return connection; }
    public StringProperty tracksProperty() { return tracks; }
    public LongProperty kbpsUpProperty() { return kbpsUp; }
    public LongProperty kbpsDownProperty() { return kbpsDown; }
    public DoubleProperty lossPercentProperty() { return lossPercent; }
    public DoubleProperty jitterMillisProperty() { return jitterMillis; }
    public StringProperty rttProperty() { return rtt; }
    public StringProperty estimateProperty() { return estimate; }
}
