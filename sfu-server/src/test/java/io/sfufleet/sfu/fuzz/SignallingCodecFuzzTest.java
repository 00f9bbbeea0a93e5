package io.sfufleet.sfu.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sfufleet.model.signal.ClientMessage;
import io.sfufleet.sfu.signal.SignallingCodec;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;

/**
 * Fuzzes {@link SignallingCodec#decode}, which reads every WebSocket text frame a client sends.
 * The input is taken as UTF-8, as a text frame is. Seeds (one message of each type) are in
 * {@code src/test/resources/io/sfufleet/sfu/fuzz/SignallingCodecFuzzTestInputs/decode/}.
 */
@Tag("fuzz")
class SignallingCodecFuzzTest {
    private final SignallingCodec codec = new SignallingCodec();

    /**
     * Anything but a message fails with {@link SignallingCodec.DecodeException} only (JUnit fails
     * the run on any other throwable, errors included), and a message that decodes survives
     * encoding and decoding again unchanged.
     */
    @FuzzTest(maxDuration = "10s")
    void decode(byte[] frame) throws Exception {
        String json = new String(frame, StandardCharsets.UTF_8);
        ClientMessage m;
        try {
            m = codec.decode(json);
        } catch (SignallingCodec.DecodeException e) {
            assertThat(e.code()).isNotNull();
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        assertThat(m).isNotNull();
        assertThat(codec.decode(codec.encodeClient(m))).isEqualTo(m);
    }
}
