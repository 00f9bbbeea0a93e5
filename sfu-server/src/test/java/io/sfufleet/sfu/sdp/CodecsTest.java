package io.sfufleet.sfu.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What the codec filter keeps: Opus with its in-band FEC parameters and RED over Opus for audio; NACK for video. */
class CodecsTest {
    private static MediaSection audio(String formats, String... attributes) throws SdpException {
        return section("audio", formats, attributes);
    }

    private static MediaSection video(String formats, String... attributes) throws SdpException {
        return section("video", formats, attributes);
    }

    private static MediaSection section(String kind, String formats, String... attributes) throws SdpException {
        String sdp = String.join("\r\n", "v=0", "o=- 1 1 IN IP4 127.0.0.1", "s=-", "t=0 0",
                "m=" + kind + " 9 UDP/TLS/RTP/SAVPF " + formats, "c=IN IP4 0.0.0.0", "a=mid:0")
                + "\r\n" + String.join("\r\n", attributes) + "\r\n";
        return SessionDescription.parse(sdp).media().get(0);
    }

    @Test
    void chromesAudioOfferKeepsOpusFecAndRedAfterOpus() throws SdpException {
        MediaSection m = SessionDescription.parse(ChromeOffers.PUBLISH_AUDIO_VIDEO).media().get(0);
        Codecs.Choice c = Codecs.choose(m);
        assertThat(c.payloadType()).isEqualTo(111);
        assertThat(c.fmtp()).containsExactly("minptime=10;useinbandfec=1");
        assertThat(c.redPayloadType()).isEqualTo(63);
        assertThat(c.redFirst()).isFalse();
        assertThat(c.payloadTypes()).containsExactly(111, 63);
        assertThat(c.rtcpFb()).as("the node sends transport-cc feedback, so it accepts it").containsExactly("transport-cc");
    }

    @Test
    void redFirstInTheOfferStaysFirst() throws SdpException {
        Codecs.Choice c = Codecs.choose(audio("63 111", "a=rtpmap:63 red/48000/2", "a=fmtp:63 111/111/111",
                "a=rtpmap:111 opus/48000/2"));
        assertThat(c.payloadTypes()).containsExactly(63, 111);
    }

    @Test
    void redOverAnotherCodecOrWithoutItsFmtpIsDropped() throws SdpException {
        assertThat(Codecs.choose(audio("111 63 0", "a=rtpmap:111 opus/48000/2", "a=rtpmap:63 red/48000/2",
                "a=fmtp:63 0/111", "a=rtpmap:0 PCMU/8000")).payloadTypes()).containsExactly(111);
        assertThat(Codecs.choose(audio("111 63", "a=rtpmap:111 opus/48000/2", "a=rtpmap:63 red/48000/2"))
                .payloadTypes()).containsExactly(111);
    }

    @Test
    void videoKeepsNackAndPli() throws SdpException {
        MediaSection m = SessionDescription.parse(ChromeOffers.PUBLISH_AUDIO_VIDEO).media().get(1);
        Codecs.Choice c = Codecs.choose(m);
        assertThat(c.rtpmap()).isEqualTo("VP8/90000");
        assertThat(c.rtcpFb()).contains("nack", "nack pli", "transport-cc");
        assertThat(c.payloadTypes()).isEqualTo(List.of(96));
    }

    @Test
    void vp9AndAv1OfProfileZeroAreTakenWhenTheOfferCarriesThemWithoutVp8() throws SdpException {
        // as the built-in client offers with codec=vp9: profile 0 and its RTX only
        Codecs.Choice vp9 = Codecs.choose(video("98 99", "a=rtpmap:98 VP9/90000", "a=fmtp:98 profile-id=0",
                "a=rtcp-fb:98 nack", "a=rtpmap:99 rtx/90000", "a=fmtp:99 apt=98"));
        assertThat(vp9.rtpmap()).isEqualTo("VP9/90000");
        assertThat(vp9.payloadType()).isEqualTo(98);
        assertThat(vp9.fmtp()).containsExactly("profile-id=0");
        assertThat(vp9.rtcpFb()).containsExactly("nack");
        // profile 2 (10-bit) is not what every receiver decodes
        assertThat(Codecs.choose(video("100", "a=rtpmap:100 VP9/90000", "a=fmtp:100 profile-id=2"))).isNull();
        Codecs.Choice av1 = Codecs.choose(video("45 35", "a=rtpmap:45 AV1/90000",
                "a=fmtp:45 level-idx=5;profile=1;tier=0", "a=rtpmap:35 AV1/90000", "a=fmtp:35 level-idx=5;profile=0;tier=0"));
        assertThat(av1.payloadType()).isEqualTo(35);
        // VP8 stays first where offered: simulcast works with it, and every browser decodes it
        assertThat(Codecs.choose(video("96 98", "a=rtpmap:96 VP8/90000", "a=rtpmap:98 VP9/90000")).rtpmap())
                .isEqualTo("VP8/90000");
        assertThat(Codecs.choose(video("98 102", "a=rtpmap:98 VP9/90000",
                "a=rtpmap:102 H264/90000", "a=fmtp:102 packetization-mode=1;profile-level-id=42e01f")).rtpmap())
                .isEqualTo("VP9/90000");
    }

    @Test
    void theConfiguredOrderDecidesAndCodecsLeftOutAreNotTaken() throws SdpException {
        MediaSection both = video("96 98 102", "a=rtpmap:96 VP8/90000", "a=rtpmap:98 VP9/90000",
                "a=rtpmap:102 H264/90000", "a=fmtp:102 packetization-mode=1;profile-level-id=42e01f");
        assertThat(Codecs.choose(both, List.of("vp9", "vp8")).rtpmap()).isEqualTo("VP9/90000");
        assertThat(Codecs.choose(both, List.of("h264")).rtpmap()).isEqualTo("H264/90000");
        assertThat(Codecs.choose(video("96", "a=rtpmap:96 VP8/90000"), List.of("vp9", "av1"))).isNull();
        // audio is not affected
        assertThat(Codecs.choose(audio("111", "a=rtpmap:111 opus/48000/2"), List.of("vp9")).payloadType()).isEqualTo(111);
    }
}
