package io.sfufleet.sfu.loadtest.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.sfu.rtp.AudioLevel;
import io.sfufleet.sfu.rtp.PacketBuffer;
import io.sfufleet.sfu.rtp.Rtp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RtpStreamSenderTest {
    @Test
    void audioCarriesItsLevelInTheClearHeaderAndTheSendTimeAtTheEnd() {
        List<byte[]> sent = new ArrayList<>();
        RtpStreamSender sender = new RtpStreamSender(MediaProfile.AUDIO, 7, 111, (PacketBuffer p) ->
                sent.add(Arrays.copyOfRange(p.getBuffer(), p.getOffset(), p.getOffset() + p.getLength())));
        sender.sendFrame();
        sender.sendFrame();
        assertThat(sent).hasSize(2);
        for (byte[] b : sent) {
            assertThat(Rtp.isValid(b, 0, b.length)).isTrue();
            int element = AudioLevel.find(b, 0, b.length, RtpStreamSender.AUDIO_LEVEL_EXTENSION_ID);
            assertThat(element).as("an RFC 6464 element with id 1").isPositive();
            assertThat(AudioLevel.level(element)).isEqualTo(RtpStreamSender.SPEAKING_LEVEL);
            int header = Rtp.headerLength(b, 0, b.length);
            assertThat(header).isEqualTo(Rtp.FIXED_HEADER + 8);
            assertThat(b.length - header).as("Opus-sized payload").isEqualTo(MediaProfile.AUDIO.deltaFrameBytes);
            assertThat(SendTimestamp.read(b, header, b.length)).isPositive();
        }
        assertThat(Rtp.sequence(sent.get(1), 0)).isEqualTo((Rtp.sequence(sent.get(0), 0) + 1) & 0xFFFF);
    }
}
