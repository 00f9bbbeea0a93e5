package io.sfufleet.sfu.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionDescriptionTest {
    @Test
    void parsesAChromePublishOffer() throws Exception {
        SessionDescription d = SessionDescription.parse(ChromeOffers.PUBLISH_AUDIO_VIDEO);
        assertThat(d.sessionAttribute("group")).isEqualTo("BUNDLE 0 1");
        assertThat(d.media()).hasSize(2);
        MediaSection audio = d.media().get(0);
        assertThat(audio.kind()).isEqualTo("audio");
        assertThat(audio.mid()).isEqualTo("0");
        assertThat(audio.direction()).isEqualTo("sendonly");
        assertThat(audio.remoteSends()).isTrue();
        assertThat(audio.ssrcs()).containsExactly(1001L);
        assertThat(d.attribute(audio, "ice-ufrag")).isEqualTo("Zq3x");
        assertThat(audio.rtpmaps().keySet()).startsWith(111, 63, 9);
        assertThat(audio.extmaps()).containsEntry(1, "urn:ietf:params:rtp-hdrext:ssrc-audio-level");

        MediaSection video = d.media().get(1);
        assertThat(video.ssrcs()).containsExactly(2001L, 2002L);
        assertThat(video.secondarySsrcs()).containsExactly(2002L);
        assertThat(video.forPayloadType("rtcp-fb", 96)).contains("nack", "nack pli", "ccm fir", "goog-remb");
        assertThat(video.forPayloadType("fmtp", 102)).containsExactly(
                "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f");
    }

    @Test
    void choosesOpusAndVp8WithTransportCc() throws Exception {
        SessionDescription d = SessionDescription.parse(ChromeOffers.PUBLISH_AUDIO_VIDEO);
        Codecs.Choice audio = Codecs.choose(d.media().get(0));
        assertThat(audio.payloadType()).isEqualTo(111);
        assertThat(audio.fmtp()).containsExactly("minptime=10;useinbandfec=1");
        // The node sends transport-wide feedback to publishers (and REMB as a cap).
        assertThat(audio.rtcpFb()).containsExactly("transport-cc");
        Codecs.Choice video = Codecs.choose(d.media().get(1));
        assertThat(video.payloadType()).isEqualTo(96);
        assertThat(video.rtpmap()).isEqualTo("VP8/90000");
        assertThat(video.clockRate()).isEqualTo(90000);
        assertThat(video.rtcpFb()).containsExactly("goog-remb", "transport-cc", "ccm fir", "nack", "nack pli");
    }

    @Test
    void fallsBackToH264PacketizationMode1WhenNoVp8Vp9OrAv1() throws Exception {
        String offer = ChromeOffers.PUBLISH_AUDIO_VIDEO.replace("m=video 9 UDP/TLS/RTP/SAVPF 96 97 102 103 45",
                "m=video 9 UDP/TLS/RTP/SAVPF 102 103");
        Codecs.Choice video = Codecs.choose(SessionDescription.parse(offer).media().get(1));
        assertThat(video.payloadType()).isEqualTo(102);
        assertThat(video.rtpmap()).isEqualTo("H264/90000");
    }

    @Test
    void noCommonCodecIsNull() throws Exception {
        String offer = "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=rtpmap:0 PCMU/8000\r\n";
        assertThat(Codecs.choose(SessionDescription.parse(offer).media().get(0))).isNull();
    }

    @Test
    void directionDefaultsToSendrecvAndPortZeroDoesNotSend() throws Exception {
        SessionDescription d = SessionDescription.parse("v=0\r\nm=audio 0 UDP/TLS/RTP/SAVPF 111\r\nm=video 9 RTP/AVP 96\r\n");
        assertThat(d.media().get(0).direction()).isEqualTo("sendrecv");
        assertThat(d.media().get(0).remoteSends()).isFalse();
        assertThat(d.media().get(1).remoteSends()).isTrue();
    }

    @Test
    void refusesWhatItCannotUse() {
        for (var bad : Map.of(
                "", "empty SDP",
                "v=0\r\ns=-\r\n", "no m-sections",
                "v=0\r\nthis is not sdp\r\n", "line 2",
                "v=0\r\nm=audio\r\n", "needs kind, port and protocol",
                "v=0\r\nm=audio x UDP 0\r\n", "bad port",
                "v=0\r\nm=audio 70000 UDP 0\r\n", "out of range").entrySet()) {
            assertThatThrownBy(() -> SessionDescription.parse(bad.getKey()))
                    .as(bad.getKey()).isInstanceOf(SdpException.class).hasMessageContaining(bad.getValue());
        }
    }

    @Test
    void boundsHoldAgainstHugeOffers() {
        StringBuilder many = new StringBuilder("v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n");
        for (int i = 0; i <= SessionDescription.MAX_ATTRIBUTES_PER_SECTION; i++) {
            many.append("a=ssrc:").append(i).append(" cname:x\r\n");
        }
        assertThatThrownBy(() -> SessionDescription.parse(many.toString()))
                .isInstanceOf(SdpException.class).hasMessageContaining("more than 512 attributes");
        StringBuilder formats = new StringBuilder("v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF");
        for (int i = 0; i <= SessionDescription.MAX_FORMATS_PER_SECTION; i++) {
            formats.append(' ').append(i);
        }
        assertThatThrownBy(() -> SessionDescription.parse(formats + "\r\n"))
                .isInstanceOf(SdpException.class).hasMessageContaining("formats");
    }

    @Test
    void malformedAttributesAreSkippedNotFatal() throws Exception {
        SessionDescription d = SessionDescription.parse(String.join("\r\n", "v=0", "m=video 9 UDP/TLS/RTP/SAVPF 96",
                "a=rtpmap:xx VP8/90000", "a=ssrc:notanumber cname:x", "a=extmap:zz urn:x", "a=ssrc-group:FID 1 y", ""));
        MediaSection m = d.media().get(0);
        assertThat(m.rtpmaps()).isEmpty();
        assertThat(m.ssrcs()).isEmpty();
        assertThat(m.extmaps()).isEmpty();
        assertThat(m.secondarySsrcs()).isEqualTo(List.of());
    }
}
