package io.sfufleet.sfu.loadtest.ice;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.sfu.ice.IceLiteResponder;
import io.sfufleet.sfu.ice.StunOutcome;
import java.net.InetSocketAddress;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The client's checks against the node's own ICE-lite responder, the real counterpart. */
class StunBindingClientTest {
    private static final String NODE_UFRAG = "nodeUfrag";
    private static final String NODE_PWD = "node-password-0123456789";
    private static final InetSocketAddress FROM = new InetSocketAddress("127.0.0.1", 40000);

    private final IceLiteResponder responder = new IceLiteResponder(u -> u.equals(NODE_UFRAG) ? NODE_PWD : null);

    @Test
    void aCheckIsAcceptedAsNominatingAndItsAnswerVerifies() {
        StunBindingClient client = new StunBindingClient(NODE_UFRAG, NODE_PWD, "clientUfrag", true);
        byte[] request = client.request();
        StunOutcome outcome = responder.process(request, 0, request.length, FROM);
        assertThat(outcome.kind()).isEqualTo(StunOutcome.Kind.RESPONDED);
        assertThat(outcome.localUfrag()).isEqualTo(NODE_UFRAG);
        assertThat(outcome.remoteUfrag()).isEqualTo("clientUfrag");
        assertThat(outcome.useCandidate()).isTrue();
        assertThat(outcome.iceControlling()).isTrue();
        assertThat(outcome.priority()).isEqualTo(StunBindingClient.HOST_PRIORITY);
        byte[] response = outcome.response();
        assertThat(client.onResponse(response, 0, response.length)).isEqualTo(StunBindingClient.Outcome.SUCCESS);
        // the same answer again no longer matches an outstanding transaction
        assertThat(client.onResponse(response, 0, response.length)).isEqualTo(StunBindingClient.Outcome.UNRELATED);
    }

    @Test
    void anAnswerSignedWithAnotherPasswordIsRefused() {
        StunBindingClient client = new StunBindingClient(NODE_UFRAG, "some-other-password-0123", "clientUfrag", true);
        byte[] request = client.request();
        // the node cannot verify it: 401, which the client sees as an error response
        StunOutcome rejected = responder.process(request, 0, request.length, FROM);
        assertThat(rejected.kind()).isEqualTo(StunOutcome.Kind.REJECTED_UNAUTHORIZED);
        assertThat(client.onResponse(rejected.response(), 0, rejected.response().length))
                .isEqualTo(StunBindingClient.Outcome.ERROR_RESPONSE);

        // a success answer to the right transaction but under another key
        StunBindingClient honest = new StunBindingClient(NODE_UFRAG, NODE_PWD, "clientUfrag", true);
        byte[] good = honest.request();
        byte[] answer = responder.process(good, 0, good.length, FROM).response();
        StunBindingClient wrongKey = new StunBindingClient(NODE_UFRAG, "some-other-password-0123", "clientUfrag", true);
        byte[] theirs = wrongKey.request();
        byte[] forged = answer.clone();
        System.arraycopy(theirs, 8, forged, 8, 12); // answer wrongKey's transaction with a response keyed for NODE_PWD
        assertThat(wrongKey.onResponse(forged, 0, forged.length)).isIn(
                StunBindingClient.Outcome.BAD_INTEGRITY);
    }

    @Test
    void aFlippedBitInTheAnswerIsCaught() {
        StunBindingClient client = new StunBindingClient(NODE_UFRAG, NODE_PWD, "clientUfrag", true);
        byte[] request = client.request();
        byte[] response = responder.process(request, 0, request.length, FROM).response();
        byte[] tampered = Arrays.copyOf(response, response.length);
        tampered[30] ^= 1; // inside XOR-MAPPED-ADDRESS
        assertThat(client.onResponse(tampered, 0, tampered.length)).isEqualTo(StunBindingClient.Outcome.BAD_INTEGRITY);
        assertThat(client.onResponse(new byte[10], 0, 10)).isEqualTo(StunBindingClient.Outcome.MALFORMED);
    }
}
