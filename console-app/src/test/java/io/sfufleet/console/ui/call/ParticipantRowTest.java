package io.sfufleet.console.ui.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.model.api.CandidateType;
import io.sfufleet.model.api.ConnectionState;
import io.sfufleet.model.api.ParticipantDetail;
import io.sfufleet.model.api.ReceivedTrackStats;
import io.sfufleet.model.signal.TrackKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How one participant of the node's API reads in the call table. */
class ParticipantRowTest {
    private static ParticipantDetail relayed(Long estimateBps) {
        var received = new ReceivedTrackStats("t1", "p2", TrackKind.video, 1234, 480_000, 100, 1000, 2.5, 4.0, 31.6,
                0, 0, "h");
        return new ParticipantDetail("p1", "Alice", 1_000, "192.0.2.7", 50_010, CandidateType.relay, "AEAD_AES_128_GCM",
                ConnectionState.connected, ConnectionState.connected, List.of(), List.of(received), estimateBps);
    }

    @Test
    void showsTheNodesDownlinkEstimateAndTheRelayedPath() {
        ParticipantRow row = new ParticipantRow("p1");
        ParticipantRow.Quality q = row.apply(relayed(1_234_567L));
        assertThat(row.estimateProperty().get()).isEqualTo("1234");
        assertThat(row.candidateProperty().get()).isEqualTo("relay");
        assertThat(row.addressProperty().get()).isEqualTo("192.0.2.7:50010");
        assertThat(row.kbpsDownProperty().get()).isEqualTo(480);
        assertThat(row.rttProperty().get()).isEqualTo("32");
        assertThat(q.lossPercent()).isEqualTo(2.5);
    }

    @Test
    void noEstimateYetIsBlankNotZero() {
        ParticipantRow row = new ParticipantRow("p1");
        row.apply(relayed(2_000_000L));
        row.apply(relayed(null)); // e.g. after a reconnect, before the first feedback
        assertThat(row.estimateProperty().get()).isEmpty();
    }
}
