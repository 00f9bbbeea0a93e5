package io.sfufleet.sfu.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.model.signal.ErrorCode;
import io.sfufleet.model.signal.ErrorMessage;
import io.sfufleet.model.signal.PublishOffer;
import io.sfufleet.sfu.sdp.ChromeOffers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A publish offer must give every m-section an a=mid of its own: BUNDLE, the answer and the
 * declared tracks name sections by mid. Found by {@code SdpFuzzTest.publishOffers}: an offer
 * without one was answered with "a=group:BUNDLE null 1" and an empty "a=mid".
 */
class PublishOfferMidTest {
    private ForwardingFixture fixture;
    private ForwardingFixture.RecordingPeer peer;
    private Participant alice;

    @BeforeEach
    void join() {
        fixture = ForwardingFixture.builder().receivers(1).build();
        peer = new ForwardingFixture.RecordingPeer("alice");
        alice = fixture.join("alice", peer);
        peer.clear();
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void sectionWithoutMidIsRejected() {
        alice.onPublishOffer(new PublishOffer(ChromeOffers.PUBLISH_AUDIO_VIDEO.replace("a=mid:0\r\n", ""),
                ForwardingFixture.CHROME_TRACKS));

        assertRejected();
    }

    @Test
    void duplicateMidIsRejected() {
        alice.onPublishOffer(new PublishOffer(ChromeOffers.PUBLISH_AUDIO_VIDEO.replace("a=mid:1\r\n", "a=mid:0\r\n"),
                ForwardingFixture.CHROME_TRACKS));

        assertRejected();
    }

    private void assertRejected() {
        ErrorMessage error = peer.expectLast(ErrorMessage.class);
        assertThat(error.code()).isEqualTo(ErrorCode.SDP_REJECTED);
        assertThat(error.message()).contains("a=mid");
        assertThat(alice.tracks()).isEmpty();
        assertThat(fixture.receiver(0).subscriptions).hasSize(2); // only the fixture publisher's tracks
    }
}
