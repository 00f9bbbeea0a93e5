package io.sfufleet.sfu.ice;

import static io.sfufleet.sfu.ice.StunTestMessages.BINDING_ERROR;
import static io.sfufleet.sfu.ice.StunTestMessages.BINDING_INDICATION;
import static io.sfufleet.sfu.ice.StunTestMessages.BINDING_REQUEST;
import static io.sfufleet.sfu.ice.StunTestMessages.BINDING_SUCCESS;
import static io.sfufleet.sfu.ice.StunTestMessages.MESSAGE_INTEGRITY;
import static io.sfufleet.sfu.ice.StunTestMessages.browserLikeRequest;
import static io.sfufleet.sfu.ice.StunTestMessages.errorCode;
import static io.sfufleet.sfu.ice.StunTestMessages.fingerprintValid;
import static io.sfufleet.sfu.ice.StunTestMessages.integrityValid;
import static io.sfufleet.sfu.ice.StunTestMessages.messageType;
import static io.sfufleet.sfu.ice.StunTestMessages.transactionId;
import static io.sfufleet.sfu.ice.StunTestMessages.xorMappedAddress;
import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.sfu.ice.StunOutcome.Kind;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IceLiteResponderTest {
    static final IceCredentials LOCAL = new IceCredentials("srvA1234", "s3cretPasswordOf24Chars+");
    static final String REMOTE_UFRAG = "brwZ";
    static final byte[] TID = StunTestMessages.hex("01 02 03 04 05 06 07 08 09 0a 0b 0c");
    static final InetSocketAddress BROWSER = new InetSocketAddress("203.0.113.7", 54321);

    final IceLiteResponder responder = new IceLiteResponder(Map.of(LOCAL.ufrag(), LOCAL.password())::get);

    static byte[] validRequest() {
        return browserLikeRequest(TID, LOCAL.ufrag(), REMOTE_UFRAG, LOCAL.password());
    }

    StunOutcome process(byte[] datagram) {
        return responder.process(datagram, 0, datagram.length, BROWSER);
    }

    @Test
    void browserLikeRequestGetsAnAuthenticatedSuccessResponse() throws Exception {
        StunOutcome outcome = process(validRequest());

        assertThat(outcome.kind()).isEqualTo(Kind.RESPONDED);
        assertThat(outcome.localUfrag()).isEqualTo(LOCAL.ufrag());
        assertThat(outcome.remoteUfrag()).isEqualTo(REMOTE_UFRAG);
        assertThat(outcome.useCandidate()).isTrue();
        assertThat(outcome.iceControlling()).isTrue();
        assertThat(outcome.priority()).isEqualTo(1853817087L);
        byte[] response = outcome.response();
        assertThat(messageType(response)).isEqualTo(BINDING_SUCCESS);
        assertThat(transactionId(response)).isEqualTo(TID);
        assertThat(xorMappedAddress(response)).isEqualTo(BROWSER);
        assertThat(integrityValid(response, LOCAL.password())).isTrue();
        assertThat(integrityValid(response, "some0ther0password0of24c")).isFalse();
        assertThat(fingerprintValid(response)).isTrue();
        // FINGERPRINT must be last (RFC 8489 section 14.7), right after MESSAGE-INTEGRITY.
        assertThat(StunTestMessages.attributeOffset(response, StunTestMessages.FINGERPRINT)).isEqualTo(response.length - 8);
        assertThat(StunTestMessages.attributeOffset(response, MESSAGE_INTEGRITY)).isEqualTo(response.length - 32);
        // Our SOFTWARE, not ice4j's configured "ice4j.org".
        assertThat(StunTestMessages.attributeValue(response, StunTestMessages.SOFTWARE)).asString().isEqualTo("sfu-fleet");
    }

    @Test
    void ipv6SenderIsMappedWithTheTransactionIdInTheXor() throws Exception {
        InetSocketAddress v6 = new InetSocketAddress("2001:db8::1234:5678", 61000);
        byte[] request = validRequest();

        StunOutcome outcome = responder.process(request, 0, request.length, v6);

        assertThat(outcome.kind()).isEqualTo(Kind.RESPONDED);
        assertThat(xorMappedAddress(outcome.response())).isEqualTo(v6);
        assertThat(integrityValid(outcome.response(), LOCAL.password())).isTrue();
    }

    @Test
    void requestWithoutFingerprintIsStillAnswered() {
        byte[] request = new StunTestMessages.Builder(BINDING_REQUEST, TID)
                .username(LOCAL.ufrag() + ":" + REMOTE_UFRAG)
                .priority(100)
                .integrity(LOCAL.password())
                .build();

        StunOutcome outcome = process(request);

        assertThat(outcome.kind()).isEqualTo(Kind.RESPONDED);
        assertThat(outcome.useCandidate()).isFalse();
        assertThat(outcome.iceControlling()).isFalse();
    }

    @Test
    void unknownLocalUfragGets401() {
        byte[] request = browserLikeRequest(TID, "nobody99", REMOTE_UFRAG, LOCAL.password());

        assertRejected(process(request), Kind.REJECTED_UNAUTHORIZED, 401);
    }

    @Test
    void wrongPasswordGets401() {
        byte[] request = browserLikeRequest(TID, LOCAL.ufrag(), REMOTE_UFRAG, "wrongPasswordOf24Chars++");

        assertRejected(process(request), Kind.REJECTED_UNAUTHORIZED, 401);
    }

    @Test
    void usernameThatIsNotTwoUfragsGets401() {
        for (String username : new String[] {LOCAL.ufrag(), LOCAL.ufrag() + ":", ":" + LOCAL.ufrag(), ""}) {
            byte[] request = new StunTestMessages.Builder(BINDING_REQUEST, TID)
                    .username(username)
                    .integrity(LOCAL.password())
                    .fingerprint()
                    .build();

            assertRejected(process(request), Kind.REJECTED_UNAUTHORIZED, 401);
        }
    }

    @Test
    void missingUsernameGets400() {
        byte[] request = new StunTestMessages.Builder(BINDING_REQUEST, TID)
                .priority(100)
                .integrity(LOCAL.password())
                .fingerprint()
                .build();

        assertRejected(process(request), Kind.REJECTED_BAD_REQUEST, 400);
    }

    @Test
    void missingIntegrityGets400() {
        byte[] request = new StunTestMessages.Builder(BINDING_REQUEST, TID)
                .username(LOCAL.ufrag() + ":" + REMOTE_UFRAG)
                .fingerprint()
                .build();

        assertRejected(process(request), Kind.REJECTED_BAD_REQUEST, 400);
    }

    @Test
    void integrityOfTheWrongSizeGets400() {
        byte[] request = new StunTestMessages.Builder(BINDING_REQUEST, TID)
                .username(LOCAL.ufrag() + ":" + REMOTE_UFRAG)
                .attribute(MESSAGE_INTEGRITY, new byte[32]) // HMAC-SHA256's size, in the SHA-1 attribute
                .fingerprint()
                .build();

        assertRejected(process(request), Kind.REJECTED_BAD_REQUEST, 400);
    }

    @Test
    void usernameAfterIntegrityIsNotCoveredSoCountsAsMissing() {
        byte[] request = new StunTestMessages.Builder(BINDING_REQUEST, TID)
                .priority(100)
                .integrity(LOCAL.password())
                .username(LOCAL.ufrag() + ":" + REMOTE_UFRAG)
                .fingerprint()
                .build();

        assertRejected(process(request), Kind.REJECTED_BAD_REQUEST, 400);
    }

    @Test
    void bindingIndicationIsAcceptedWithoutResponse() {
        byte[] indication = new StunTestMessages.Builder(BINDING_INDICATION, TID).fingerprint().build();

        StunOutcome outcome = process(indication);

        assertThat(outcome.kind()).isEqualTo(Kind.INDICATION);
        assertThat(outcome.hasResponse()).isFalse();
    }

    @Test
    void otherMethodsAreDropped() {
        byte[] allocate = new StunTestMessages.Builder(0x0003, TID).fingerprint().build(); // TURN Allocate

        assertThat(process(allocate).kind()).isEqualTo(Kind.DROPPED_NOT_BINDING);
    }

    @Test
    void badFingerprintIsDroppedSilently() {
        byte[] request = validRequest();
        request[request.length - 1] ^= 0x01;

        StunOutcome outcome = process(request);

        assertThat(outcome.kind()).isEqualTo(Kind.DROPPED_BAD_FINGERPRINT);
        assertThat(outcome.hasResponse()).isFalse();
    }

    @Test
    void nonStunDatagramsAreDroppedAsMalformed() {
        byte[] rtp = StunTestMessages.hex("80 6f 12 34 00 00 00 01 de ad be ef 00 00 00 00 00 00 00 00 00 00 00 00");
        byte[] dtls = StunTestMessages.hex("16 fe fd 00 00 00 00 00 00 00 00 00 10 01 00 00 00 00 00 00 00 00 00 00");
        byte[] rfc3489 = validRequest();
        rfc3489[4] = 0; // no magic cookie: classic STUN, which ICE does not speak

        assertThat(process(rtp).kind()).isEqualTo(Kind.DROPPED_MALFORMED);
        assertThat(process(dtls).kind()).isEqualTo(Kind.DROPPED_MALFORMED);
        assertThat(process(rfc3489).kind()).isEqualTo(Kind.DROPPED_MALFORMED);
        assertThat(process(new byte[0]).kind()).isEqualTo(Kind.DROPPED_MALFORMED);
    }

    @Test
    void everyPrefixOfTheDatagramIsDroppedAndOnlyTheWholeIsAnswered() {
        byte[] request = validRequest();
        for (int len = 0; len <= request.length; len++) {
            StunOutcome outcome = responder.process(request, 0, len, BROWSER);

            assertThat(outcome.kind())
                    .as("prefix of %d bytes", len)
                    .isEqualTo(len == request.length ? Kind.RESPONDED : Kind.DROPPED_MALFORMED);
        }
    }

    @Test
    void everySuffixIsHandledWithoutThrowing() {
        byte[] request = validRequest();
        for (int off = 0; off <= request.length; off++) {
            StunOutcome outcome = responder.process(request, off, request.length - off, BROWSER);

            assertThat(outcome.kind())
                    .as("suffix from %d", off)
                    .isEqualTo(off == 0 ? Kind.RESPONDED : Kind.DROPPED_MALFORMED);
        }
    }

    @Test
    void requestAtAnyOffsetInALargerBufferIsAnswered() throws Exception {
        byte[] request = validRequest();
        for (int off = 0; off < 64; off++) {
            byte[] buffer = new byte[off + request.length + 17];
            Arrays.fill(buffer, (byte) 0xA5); // garbage around the datagram must not be read
            System.arraycopy(request, 0, buffer, off, request.length);

            StunOutcome outcome = responder.process(buffer, off, request.length, BROWSER);

            assertThat(outcome.kind()).as("offset %d", off).isEqualTo(Kind.RESPONDED);
            assertThat(xorMappedAddress(outcome.response())).isEqualTo(BROWSER);
            assertThat(integrityValid(outcome.response(), LOCAL.password())).isTrue();
        }
    }

    @Test
    void theInputBufferIsLeftUntouched() {
        byte[] request = validRequest();
        byte[] copy = request.clone();

        process(request);

        assertThat(request).isEqualTo(copy);
    }

    @Test
    void callerMistakesBecomeInternalErrorDropsNotExceptions() {
        byte[] request = validRequest();

        assertThat(responder.process(null, 0, 0, BROWSER).kind()).isEqualTo(Kind.DROPPED_INTERNAL_ERROR);
        assertThat(responder.process(request, -1, 4, BROWSER).kind()).isEqualTo(Kind.DROPPED_INTERNAL_ERROR);
        assertThat(responder.process(request, 4, request.length, BROWSER).kind()).isEqualTo(Kind.DROPPED_INTERNAL_ERROR);
        assertThat(responder.process(request, 0, request.length, null).kind()).isEqualTo(Kind.DROPPED_INTERNAL_ERROR);
        assertThat(responder.process(request, 0, request.length, InetSocketAddress.createUnresolved("peer.invalid", 1)).kind())
                .isEqualTo(Kind.DROPPED_INTERNAL_ERROR);
        assertThat(responder.count(Kind.DROPPED_INTERNAL_ERROR)).isEqualTo(5);
    }

    @Test
    void aThrowingLookupBecomesAnInternalErrorDrop() {
        IceLiteResponder failing = new IceLiteResponder(ufrag -> {
            throw new IllegalStateException("session store broken");
        });
        byte[] request = validRequest();

        assertThat(failing.process(request, 0, request.length, BROWSER).kind()).isEqualTo(Kind.DROPPED_INTERNAL_ERROR);
    }

    @Test
    void eachOutcomeIsCounted() {
        byte[] valid = validRequest();
        byte[] unknown = browserLikeRequest(TID, "nobody99", REMOTE_UFRAG, LOCAL.password());

        process(valid);
        process(valid);
        process(unknown);
        process(new byte[] {1, 2, 3});

        assertThat(responder.count(Kind.RESPONDED)).isEqualTo(2);
        assertThat(responder.count(Kind.REJECTED_UNAUTHORIZED)).isEqualTo(1);
        assertThat(responder.count(Kind.DROPPED_MALFORMED)).isEqualTo(1);
        assertThat(responder.count(Kind.INDICATION)).isZero();
    }

    @Test
    void aRemovedSessionStopsBeingAnswered() {
        java.util.HashMap<String, String> sessions = new java.util.HashMap<>(Map.of(LOCAL.ufrag(), LOCAL.password()));
        IceLiteResponder live = new IceLiteResponder(sessions::get);
        byte[] request = validRequest();

        assertThat(live.process(request, 0, request.length, BROWSER).kind()).isEqualTo(Kind.RESPONDED);
        sessions.remove(LOCAL.ufrag());
        assertThat(live.process(request, 0, request.length, BROWSER).kind()).isEqualTo(Kind.REJECTED_UNAUTHORIZED);
    }

    private static void assertRejected(StunOutcome outcome, Kind kind, int code) {
        assertThat(outcome.kind()).isEqualTo(kind);
        assertThat(outcome.localUfrag()).isNull();
        byte[] response = outcome.response();
        assertThat(response).isNotNull();
        assertThat(messageType(response)).isEqualTo(BINDING_ERROR);
        assertThat(transactionId(response)).isEqualTo(TID);
        assertThat(errorCode(response)).isEqualTo(code);
        assertThat(StunTestMessages.errorReason(response)).isEqualTo(code == 401 ? "Unauthorized" : "Bad Request");
        assertThat(response.length).isEqualTo(64); // header, ERROR-CODE 20, SOFTWARE 16, FINGERPRINT 8
        assertThat(fingerprintValid(response)).isTrue();
        // No key was agreed, so the error must not claim integrity (RFC 8489 section 9.1.3).
        assertThat(StunTestMessages.attributeOffset(response, MESSAGE_INTEGRITY)).isEqualTo(-1);
    }
}
