package io.sfufleet.sfu.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.model.api.HelloEvent;
import io.sfufleet.model.api.NodeState;
import io.sfufleet.model.api.NodeStateChangedEvent;
import io.sfufleet.model.api.ParticipantLeftEvent;
import io.sfufleet.model.signal.Bye;
import io.sfufleet.model.signal.Join;
import io.sfufleet.model.signal.Joined;
import io.sfufleet.sfu.SfuNode;
import io.sfufleet.sfu.TestNodes;
import io.sfufleet.sfu.signal.WsTestClient;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A stopping node tells the event streams, ends its calls, and closes the streams with 1001. */
class NodeStopTest {
    @Test
    void stoppingIsAnnouncedThenTheStreamsCloseWithGoingAway() throws Exception {
        SfuNode node = TestNodes.start();
        try (EventStreamClient events = new EventStreamClient(node.adminPort(), TestNodes.API_TOKEN, "stats=false");
             WsTestClient alice = new WsTestClient(node.httpPort())) {
            events.expect(HelloEvent.class, 3000);
            alice.send(new Join(1, "stop-a", "Alice", null, TestNodes.token("stop-a", "Alice")));
            alice.expect(Joined.class);
            node.close();
            assertThat(node.state()).isEqualTo(NodeState.stopping);
            assertThat(events.expect(NodeStateChangedEvent.class, 1000).state()).isEqualTo(NodeState.stopping);
            assertThat(events.expect(ParticipantLeftEvent.class, 1000).reason()).isEqualTo("nodeShuttingDown");
            assertThat(alice.expect(Bye.class).reason()).isEqualTo("nodeShuttingDown");
            assertThat(events.closed.get(5, TimeUnit.SECONDS)).startsWith("1001");
        } finally {
            node.close();
        }
    }
}
