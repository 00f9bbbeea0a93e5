package io.sfufleet.sfu.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.model.api.ActionResult;
import io.sfufleet.model.api.ApiError;
import io.sfufleet.model.api.ApiPaths;
import io.sfufleet.model.api.Health;
import io.sfufleet.model.api.HealthStatus;
import io.sfufleet.model.api.HelloEvent;
import io.sfufleet.model.api.NodeInfo;
import io.sfufleet.model.api.NodeState;
import io.sfufleet.model.api.NodeStateChangedEvent;
import io.sfufleet.model.api.ParticipantLeftEvent;
import io.sfufleet.model.signal.Bye;
import io.sfufleet.model.signal.ErrorCode;
import io.sfufleet.model.signal.ErrorMessage;
import io.sfufleet.model.signal.Join;
import io.sfufleet.model.signal.Joined;
import io.sfufleet.sfu.SfuNode;
import io.sfufleet.sfu.TestNodes;
import io.sfufleet.sfu.signal.WsTestClient;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Drain with a deadline and undrain, as a console does before a rolling upgrade. Its own node: it changes the state. */
class DrainTest {
    private static SfuNode node;
    private static AdminClient api;

    @BeforeAll
    static void start() throws Exception {
        node = TestNodes.start();
        api = new AdminClient(node.adminPort(), TestNodes.API_TOKEN);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void drainRefusesJoinsEndsTheCallsLeftAtTheDeadlineAndUndrainTakesJoinsAgain() throws Exception {
        try (EventStreamClient events = new EventStreamClient(node.adminPort(), TestNodes.API_TOKEN, "stats=false");
             WsTestClient alice = new WsTestClient(node.httpPort());
             WsTestClient late = new WsTestClient(node.httpPort())) {
            events.expect(HelloEvent.class, 3000);
            alice.send(join("drain-a", "Alice"));
            String aliceId = alice.expect(Joined.class).participantId();

            long deadline = System.currentTimeMillis() + 2000;
            ActionResult r = api.postOk(ApiPaths.DRAIN, "{\"deadlineMillis\": " + deadline + ", \"reason\": \"test\"}",
                    ActionResult.class);
            assertThat(r.ok()).isTrue();
            NodeStateChangedEvent changed = events.expect(NodeStateChangedEvent.class, 1000);
            assertThat(changed.state()).isEqualTo(NodeState.draining);
            assertThat(changed.drainDeadlineMillis()).isEqualTo(deadline);

            HttpResponse<String> ready = api.get(ApiPaths.READYZ);
            assertThat(ready.statusCode()).isEqualTo(503);
            Health h = AdminClient.read(ready, Health.class);
            assertThat(h.status()).isEqualTo(HealthStatus.fail);
            assertThat(h.checks()).containsEntry("state", "draining").containsEntry("capacity", "ok");
            NodeInfo info = api.getOk(ApiPaths.NODE, NodeInfo.class);
            assertThat(info.state()).isEqualTo(NodeState.draining);
            assertThat(info.drainDeadlineMillis()).isEqualTo(deadline);
            assertThat(info.ready()).isFalse();

            late.send(join("drain-b", "Bob"));
            assertThat(late.expect(ErrorMessage.class).code()).isEqualTo(ErrorCode.NODE_DRAINING);

            // the call present goes on until the deadline, then its participants get bye "nodeDrained"
            assertThat(alice.expect(Bye.class).reason()).isEqualTo("nodeDrained");
            assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(deadline - 50);
            ParticipantLeftEvent left = events.expect(ParticipantLeftEvent.class, 2000);
            assertThat(left.participantId()).isEqualTo(aliceId);
            assertThat(left.reason()).isEqualTo("nodeDrained");
            // an empty drained node stays draining until undrained
            assertThat(api.get(ApiPaths.READYZ).statusCode()).isEqualTo(503);
        }

        try (EventStreamClient events = new EventStreamClient(node.adminPort(), TestNodes.API_TOKEN, "stats=false");
             WsTestClient carol = new WsTestClient(node.httpPort())) {
            events.expect(HelloEvent.class, 3000);
            assertThat(api.send("DELETE", ApiPaths.DRAIN, null).statusCode()).isEqualTo(200);
            assertThat(events.expect(NodeStateChangedEvent.class, 1000).state()).isEqualTo(NodeState.running);
            assertThat(api.getOk(ApiPaths.READYZ, Health.class).status()).isEqualTo(HealthStatus.ok);
            assertThat(api.getOk(ApiPaths.NODE, NodeInfo.class).state()).isEqualTo(NodeState.running);
            carol.send(join("drain-c", "Carol"));
            assertThat(carol.expect(Joined.class).callId()).isEqualTo("drain-c");
            ActionResult again = AdminClient.read(api.delete(ApiPaths.DRAIN), ActionResult.class);
            assertThat(again.message()).isEqualTo("was not draining");
        }
    }

    @Test
    void drainingAgainMovesTheDeadline() throws Exception {
        long far = System.currentTimeMillis() + 600_000;
        api.postOk(ApiPaths.DRAIN, "{\"deadlineMillis\": " + far + "}", ActionResult.class);
        long farther = far + 60_000;
        api.postOk(ApiPaths.DRAIN, "{\"deadlineMillis\": " + farther + "}", ActionResult.class);
        assertThat(api.getOk(ApiPaths.NODE, NodeInfo.class).drainDeadlineMillis()).isEqualTo(farther);
        ApiError past = AdminClient.error(api.post(ApiPaths.DRAIN, "{\"deadlineMillis\": 1}"), 400);
        assertThat(past.field()).isEqualTo("deadlineMillis");
        assertThat(api.getOk(ApiPaths.NODE, NodeInfo.class).drainDeadlineMillis()).isEqualTo(farther);
        api.delete(ApiPaths.DRAIN);
        assertThat(node.state()).isEqualTo(NodeState.running);
    }

    private static Join join(String call, String name) {
        return new Join(1, call, name, null, TestNodes.token(call, name));
    }
}
