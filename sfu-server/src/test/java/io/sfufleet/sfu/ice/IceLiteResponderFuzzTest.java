package io.sfufleet.sfu.ice;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sfufleet.sfu.ice.StunOutcome.Kind;
import java.net.InetSocketAddress;
import java.util.Map;
import org.junit.jupiter.api.Tag;

/**
 * Fuzzes {@link IceLiteResponder#process}, the first code that touches bytes from the Internet.
 * Under plain {@code mvn test} Jazzer runs in regression mode: each target once per file in
 * {@code src/test/resources/io/sfufleet/sfu/ice/IceLiteResponderFuzzTestInputs/<method>/} plus
 * an empty input. With {@code JAZZER_FUZZ=1} it fuzzes one target for {@code maxDuration}.
 *
 * <p>{@code process} catches everything, so "no exception escapes" is checked where it matters:
 * an exception caught inside comes out as {@link Kind#DROPPED_INTERNAL_ERROR}, which no input may cause.
 *
 * <p>Tagged {@code fuzz} so a build can run fuzz tests in a JVM of their own: Jazzer attaches an
 * agent that then instruments every class loaded after it, including other tests' classes.
 */
@Tag("fuzz")
class IceLiteResponderFuzzTest {
    private static final String UFRAG = "srvA1234";
    private static final String PASSWORD = "s3cretPasswordOf24Chars+";
    private static final InetSocketAddress FROM = new InetSocketAddress("198.51.100.20", 50000);

    private final IceLiteResponder responder = new IceLiteResponder(Map.of(UFRAG, PASSWORD)::get);

    /** Raw datagrams: the seed is a valid browser-like request, from which mutations start. */
    @FuzzTest(maxDuration = "10s")
    void arbitraryDatagrams(byte[] datagram) {
        StunOutcome outcome = responder.process(datagram, 0, datagram.length, FROM);

        checkInvariants(outcome);
    }

    /**
     * Authenticated requests with arbitrary attributes in front of MESSAGE-INTEGRITY: random bytes
     * almost never carry a valid HMAC, so this target is what drives the decoder and encoder
     * past the integrity check.
     */
    @FuzzTest(maxDuration = "10s")
    void authenticatedRequestsWithArbitraryAttributes(FuzzedDataProvider data) {
        byte[] transactionId = new byte[12];
        byte[] fuzzedId = data.consumeBytes(12);
        System.arraycopy(fuzzedId, 0, transactionId, 0, fuzzedId.length);
        StunTestMessages.Builder builder = new StunTestMessages.Builder(StunTestMessages.BINDING_REQUEST, transactionId)
                .username(UFRAG + ":" + data.consumeAsciiString(16));
        int attributes = data.consumeInt(0, 8);
        for (int i = 0; i < attributes; i++) {
            builder.attribute(data.consumeInt(0, 0xFFFF), data.consumeBytes(data.consumeInt(0, 64)));
        }
        builder.integrity(PASSWORD);
        if (data.consumeBoolean()) {
            builder.fingerprint();
        }
        byte[] datagram = builder.build();

        StunOutcome outcome = responder.process(datagram, 0, datagram.length, FROM);

        checkInvariants(outcome);
        if (outcome.kind() == Kind.RESPONDED) {
            assertThat(StunTestMessages.integrityValid(outcome.response(), PASSWORD)).isTrue();
            assertThat(StunTestMessages.fingerprintValid(outcome.response())).isTrue();
            assertThat(StunTestMessages.transactionId(outcome.response())).isEqualTo(transactionId);
        }
    }

    private static void checkInvariants(StunOutcome outcome) {
        assertThat(outcome).isNotNull();
        assertThat(outcome.kind()).isNotEqualTo(Kind.DROPPED_INTERNAL_ERROR);
        boolean answers = outcome.kind() == Kind.RESPONDED
                || outcome.kind() == Kind.REJECTED_UNAUTHORIZED
                || outcome.kind() == Kind.REJECTED_BAD_REQUEST;
        assertThat(outcome.hasResponse()).isEqualTo(answers);
    }
}
