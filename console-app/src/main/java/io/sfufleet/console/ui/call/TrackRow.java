package io.sfufleet.console.ui.call;

import io.sfufleet.model.api.PublishedTrackStats;
import io.sfufleet.model.api.ReceivedTrackStats;
import java.util.Locale;

/** A track of the selected participant, sent or received, as the tracks table shows it. */
public record TrackRow(String direction, String trackId, String kind, String source, String codec, String peer,
                       long kbps, String loss, String jitter, String rtt, String layer, long nacks, long plis,
                       String muted) {

    static TrackRow sent(PublishedTrackStats t) {
        return new TrackRow("sent", t.trackId(), t.kind().name(), t.source().name(), t.codec() == null ? "" : t.codec(),
                t.receivers() + " receivers", t.bitrateBps() / 1000, pct(t.lossPercent()), ms(t.jitterMillis()),
                t.rttMillis() == null ? "" : ms(t.rttMillis()), "", t.nackCount(), t.pliCount(),
                t.adminMuted() ? "by admin" : t.muted() ? "yes" : "");
    }

    static TrackRow received(ReceivedTrackStats t) {
        return new TrackRow("received", t.trackId(), t.kind().name(), "", "", "from " + t.fromParticipantId(),
                t.bitrateBps() / 1000, pct(t.lossPercent()), ms(t.jitterMillis()),
                t.rttMillis() == null ? "" : ms(t.rttMillis()), t.layer() == null ? "" : t.layer(), t.nackCount(),
                t.pliCount(), "");
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String ms(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
