package io.sfufleet.sfu.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sfufleet.model.signal.ErrorMessage;
import io.sfufleet.model.signal.MediaSource;
import io.sfufleet.model.signal.PublishAnswer;
import io.sfufleet.model.signal.PublishOffer;
import io.sfufleet.model.signal.PublishedTrack;
import io.sfufleet.model.signal.ServerMessage;
import io.sfufleet.model.signal.SubscribeAnswer;
import io.sfufleet.model.signal.SubscribeOffer;
import io.sfufleet.sfu.call.ForwardingFixture;
import io.sfufleet.sfu.call.Participant;
import io.sfufleet.sfu.dtls.DtlsCertificate;
import io.sfufleet.sfu.sdp.Codecs;
import io.sfufleet.sfu.sdp.MediaSection;
import io.sfufleet.sfu.sdp.SdpException;
import io.sfufleet.sfu.sdp.SessionDescription;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;

/**
 * Fuzzes SDP: {@link SessionDescription#parse} and the accessors the call logic uses, then whole
 * publish offers through {@link Participant#onPublishOffer} in a call with a publisher and a
 * receiver ({@link ForwardingFixture}), including the subscribe renegotiation they cause and the
 * receivers' answers to it. Inputs are UTF-8 SDP text, so seeds are plain offers
 * ({@code src/test/resources/io/sfufleet/sfu/fuzz/SdpFuzzTestInputs/<method>/}).
 */
@Tag("fuzz")
class SdpFuzzTest {
    /** Separates successive offers (a renegotiation) in one input of {@link #publishOffers}. */
    private static final String OFFER_SEPARATOR = "\u0000";
    private static final List<PublishedTrack> DECLARED = List.of(
            new PublishedTrack("0", MediaSource.microphone, false),
            new PublishedTrack("1", MediaSource.camera, false),
            new PublishedTrack("2", MediaSource.screen, true));

    private static DtlsCertificate certificate;

    /** Parsing fails with {@link SdpException} only, and what parses can be read without exceptions. */
    @FuzzTest(maxDuration = "10s")
    void parse(byte[] text) {
        SessionDescription sdp;
        try {
            sdp = SessionDescription.parse(new String(text, StandardCharsets.UTF_8));
        } catch (SdpException e) {
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        assertThat(sdp.media()).isNotEmpty().hasSizeLessThanOrEqualTo(SessionDescription.MAX_SECTIONS);
        for (MediaSection m : sdp.media()) {
            assertThat(m.port()).isBetween(0, 65535);
            m.mid();
            m.direction();
            m.remoteSends();
            m.ssrcs();
            m.secondarySsrcs();
            m.extmaps();
            for (int pt : m.rtpmaps().keySet()) {
                m.forPayloadType("fmtp", pt);
            }
            Codecs.choose(m);
            sdp.attribute(m, "fingerprint");
        }
    }

    /**
     * One or more publish offers (separated by NUL) from a participant who joins a call that has a
     * publisher and a receiver. Each offer is answered with exactly one message, a
     * {@link PublishAnswer} with one m-section per offered one, in order, or an
     * {@link ErrorMessage}; the subscribe offers this causes parse, and their answers are taken.
     * Nothing throws.
     */
    @FuzzTest(maxDuration = "10s")
    void publishOffers(byte[] text) throws SdpException {
        try (ForwardingFixture f = ForwardingFixture.builder().receivers(1).certificate(certificate()).build()) {
            ForwardingFixture.RecordingPeer peer = new ForwardingFixture.RecordingPeer("fuzzed");
            Participant fuzzed = f.join("fuzzed", peer);
            f.loop().runPending();
            for (String offer : new String(text, StandardCharsets.UTF_8).split(OFFER_SEPARATOR, 4)) {
                peer.clear();
                fuzzed.onPublishOffer(new PublishOffer(offer, DECLARED));

                List<ServerMessage> replies = peer.messages();
                assertThat(replies).as("replies to one publish offer").hasSize(1);
                if (replies.getFirst() instanceof PublishAnswer answer) {
                    assertThat(mids(SessionDescription.parse(answer.sdp())))
                            .as("m-sections of the answer").isEqualTo(mids(SessionDescription.parse(offer)));
                } else {
                    assertThat(replies.getFirst()).isInstanceOf(ErrorMessage.class);
                }
                f.loop().runPending();
                answerSubscribeOffers(f.receiverPeer(0), f.receiver(0));
                answerSubscribeOffers(f.publisherPeer(), f.publisher());
                f.loop().runPending();
            }
        }
    }

    /** The receiver's browser answers the newest subscribe offer, if one came. */
    private static void answerSubscribeOffers(ForwardingFixture.RecordingPeer peer, Participant p) throws SdpException {
        SubscribeOffer newest = null;
        for (ServerMessage m : peer.messages()) {
            if (m instanceof SubscribeOffer o) {
                newest = o;
            }
        }
        peer.clear();
        if (newest != null) {
            String answer = ForwardingFixture.answerFor(newest.sdp(), new Random(newest.revision()));
            p.onSubscribeAnswer(new SubscribeAnswer(answer, newest.revision()));
            for (ServerMessage m : peer.messages()) {
                assertThat(m).as("reply to a subscribe answer").isNotInstanceOf(ErrorMessage.class);
            }
        }
    }

    private static List<String> mids(SessionDescription sdp) {
        return sdp.media().stream().map(m -> m.kind() + "/" + m.mid()).toList();
    }

    private static synchronized DtlsCertificate certificate() {
        if (certificate == null) {
            certificate = DtlsCertificate.generate();
        }
        return certificate;
    }
}
