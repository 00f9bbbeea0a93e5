package io.sfufleet.sfu.ice;

import static io.sfufleet.sfu.ice.StunTestMessages.hex;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.ice4j.TransportAddress;
import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.MessageIntegrityAttribute;
import org.ice4j.attribute.PriorityAttribute;
import org.ice4j.attribute.UsernameAttribute;
import org.ice4j.attribute.XorMappedAddressAttribute;
import org.ice4j.message.Message;
import org.junit.jupiter.api.Test;

/**
 * RFC 5769 ("Test Vectors for STUN") sections 2.1 and 2.2, typed in from the RFC. They pin down
 * three things at once: ice4j's decoder, our own checks in {@link IceLiteResponder}, and the
 * independent helper {@link StunTestMessages} the other tests build their messages with.
 */
class StunRfc5769VectorsTest {
    static final String USERNAME = "evtj:h6vY";
    static final String PASSWORD = "VOkJxbRl1RmTxUk/WvJxBt";

    /** RFC 5769 section 2.1, "Sample Request" (short-term credentials). */
    static final byte[] SAMPLE_REQUEST = hex("""
            00 01 00 58     // Binding request, message length 0x58 = 88
            21 12 a4 42     // magic cookie
            b7 e7 a7 01     // transaction id
            bc 34 d6 86
            fa 87 df ae
            80 22 00 10     // SOFTWARE, 16 bytes
            53 54 55 4e     //   "STUN"
            20 74 65 73     //   " tes"
            74 20 63 6c     //   "t cl"
            69 65 6e 74     //   "ient"
            00 24 00 04     // PRIORITY, 4 bytes
            6e 00 01 ff     //   0x6e0001ff
            80 29 00 08     // ICE-CONTROLLED, 8 bytes
            93 2f f9 b1     //   tie-breaker
            51 26 3b 36
            00 06 00 09     // USERNAME, 9 bytes
            65 76 74 6a     //   "evtj"
            3a 68 36 76     //   ":h6v"
            59 20 20 20     //   "Y" + 3 bytes of padding (the RFC pads with spaces)
            00 08 00 14     // MESSAGE-INTEGRITY, 20 bytes
            9a ea a7 0c     //   HMAC-SHA1
            bf d8 cb 56
            78 1e f2 b5
            b2 d3 f2 49
            c1 b5 71 a2
            80 28 00 04     // FINGERPRINT, 4 bytes
            e5 7a 3b cf     //   CRC-32 XOR 0x5354554e
            """);

    /** RFC 5769 section 2.2, "Sample IPv4 Response". */
    static final byte[] SAMPLE_IPV4_RESPONSE = hex("""
            01 01 00 3c     // Binding success response, length 0x3c = 60
            21 12 a4 42     // magic cookie
            b7 e7 a7 01     // transaction id
            bc 34 d6 86
            fa 87 df ae
            80 22 00 0b     // SOFTWARE, 11 bytes
            74 65 73 74     //   "test"
            20 76 65 63     //   " vec"
            74 6f 72 20     //   "tor" + 1 byte of padding
            00 20 00 08     // XOR-MAPPED-ADDRESS, 8 bytes
            00 01 a1 47     //   family IPv4, port 32853 XOR 0x2112
            e1 12 a6 43     //   192.0.2.1 XOR the magic cookie
            00 08 00 14     // MESSAGE-INTEGRITY, 20 bytes
            2b 91 f5 99     //   HMAC-SHA1
            fd 9e 90 c3
            8c 74 89 f9
            2a f9 ba 53
            f0 6b e7 d7
            80 28 00 04     // FINGERPRINT, 4 bytes
            c0 7d 4c 96     //   CRC-32 XOR 0x5354554e
            """);

    static final InetSocketAddress SENDER = new InetSocketAddress("192.0.2.77", 40000);

    @Test
    void sampleRequestDecodesWithIce4j() throws Exception {
        Message message = Message.decode(SAMPLE_REQUEST, 0, SAMPLE_REQUEST.length);

        assertThat((int) message.getMessageType()).isEqualTo(Message.BINDING_REQUEST);
        assertThat(message.getTransactionID()).isEqualTo(hex("b7 e7 a7 01 bc 34 d6 86 fa 87 df ae"));
        UsernameAttribute username = (UsernameAttribute) message.getAttribute(Attribute.USERNAME);
        assertThat(new String(username.getUsername(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(USERNAME);
        assertThat(((PriorityAttribute) message.getAttribute(Attribute.PRIORITY)).getPriority()).isEqualTo(0x6e0001ffL);
        assertThat(message.containsAttribute(Attribute.ICE_CONTROLLED)).isTrue();
        assertThat(message.containsAttribute(Attribute.FINGERPRINT)).isTrue();
        MessageIntegrityAttribute integrity = (MessageIntegrityAttribute) message.getAttribute(Attribute.MESSAGE_INTEGRITY);
        assertThat(integrity.getHmacSha1Content()).isEqualTo(hex("9a ea a7 0c bf d8 cb 56 78 1e f2 b5 b2 d3 f2 49 c1 b5 71 a2"));
    }

    @Test
    void sampleRequestIntegrityAndFingerprintValidate() {
        assertThat(StunTestMessages.integrityValid(SAMPLE_REQUEST, PASSWORD)).isTrue();
        assertThat(StunTestMessages.fingerprintValid(SAMPLE_REQUEST)).isTrue();
        assertThat(StunTestMessages.integrityValid(SAMPLE_REQUEST, PASSWORD + "x")).isFalse();
    }

    @Test
    void sampleRequestIsAnsweredByTheResponder() throws Exception {
        IceLiteResponder responder = new IceLiteResponder(ufrag -> ufrag.equals("evtj") ? PASSWORD : null);

        StunOutcome outcome = responder.process(SAMPLE_REQUEST, 0, SAMPLE_REQUEST.length, SENDER);

        assertThat(outcome.kind()).isEqualTo(StunOutcome.Kind.RESPONDED);
        assertThat(outcome.localUfrag()).isEqualTo("evtj");
        assertThat(outcome.remoteUfrag()).isEqualTo("h6vY");
        assertThat(outcome.priority()).isEqualTo(0x6e0001ffL);
        assertThat(outcome.iceControlling()).isFalse(); // the sample carries ICE-CONTROLLED instead
        assertThat(outcome.useCandidate()).isFalse();
        assertThat(StunTestMessages.transactionId(outcome.response())).isEqualTo(StunTestMessages.transactionId(SAMPLE_REQUEST));
        assertThat(StunTestMessages.xorMappedAddress(outcome.response())).isEqualTo(SENDER);
        assertThat(StunTestMessages.integrityValid(outcome.response(), PASSWORD)).isTrue();
        assertThat(StunTestMessages.fingerprintValid(outcome.response())).isTrue();
    }

    @Test
    void flippingAnyBitOfTheSampleRequestUpToItsIntegrityBreaksIt() {
        IceLiteResponder responder = new IceLiteResponder(ufrag -> ufrag.equals("evtj") ? PASSWORD : null);
        int endOfIntegrity = SAMPLE_REQUEST.length - 8;
        for (int i = 0; i < SAMPLE_REQUEST.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] damaged = SAMPLE_REQUEST.clone();
                damaged[i] ^= (byte) (1 << bit);

                StunOutcome outcome = responder.process(damaged, 0, damaged.length, SENDER);

                assertThat(outcome.kind()).as("byte %d bit %d", i, bit).isNotEqualTo(StunOutcome.Kind.DROPPED_INTERNAL_ERROR);
                if (i < endOfIntegrity) {
                    assertThat(outcome.kind()).as("byte %d bit %d", i, bit).isNotEqualTo(StunOutcome.Kind.RESPONDED);
                }
                // A flip in FINGERPRINT's type turns it into some other attribute after MESSAGE-INTEGRITY,
                // which RFC 8489 section 14.5 says to ignore: the request is then authentic and unfingerprinted.
            }
        }
    }

    @Test
    void oneFlippedByteBeforeTheIntegrityFailsBothChecks() {
        byte[] damaged = SAMPLE_REQUEST.clone();
        damaged[30] ^= 0x01; // inside SOFTWARE, covered by MESSAGE-INTEGRITY and FINGERPRINT

        assertThat(StunTestMessages.integrityValid(damaged, PASSWORD)).isFalse();
        assertThat(StunTestMessages.fingerprintValid(damaged)).isFalse();
        IceLiteResponder responder = new IceLiteResponder(ufrag -> ufrag.equals("evtj") ? PASSWORD : null);
        assertThat(responder.process(damaged, 0, damaged.length, SENDER).kind())
                .isEqualTo(StunOutcome.Kind.DROPPED_BAD_FINGERPRINT);
    }

    @Test
    void sampleIpv4ResponseDecodesToItsMappedAddress() throws Exception {
        InetSocketAddress expected = new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853);

        Message message = Message.decode(SAMPLE_IPV4_RESPONSE, 0, SAMPLE_IPV4_RESPONSE.length);
        XorMappedAddressAttribute xor = (XorMappedAddressAttribute) message.getAttribute(Attribute.XOR_MAPPED_ADDRESS);
        TransportAddress address = xor.getAddress(message.getTransactionID());

        assertThat((int) message.getMessageType()).isEqualTo(Message.BINDING_SUCCESS_RESPONSE);
        assertThat(address.getAddress()).isEqualTo(expected.getAddress());
        assertThat(address.getPort()).isEqualTo(32853);
        assertThat(StunTestMessages.xorMappedAddress(SAMPLE_IPV4_RESPONSE)).isEqualTo(expected);
        assertThat(StunTestMessages.integrityValid(SAMPLE_IPV4_RESPONSE, PASSWORD)).isTrue();
        assertThat(StunTestMessages.fingerprintValid(SAMPLE_IPV4_RESPONSE)).isTrue();
    }

    @Test
    void aBindingResponseArrivingAtTheLiteServerIsDropped() {
        IceLiteResponder responder = new IceLiteResponder(ufrag -> PASSWORD);

        StunOutcome outcome = responder.process(SAMPLE_IPV4_RESPONSE, 0, SAMPLE_IPV4_RESPONSE.length, SENDER);

        assertThat(outcome.kind()).isEqualTo(StunOutcome.Kind.DROPPED_RESPONSE);
        assertThat(outcome.response()).isNull();
    }
}
