package io.sfufleet.sfu.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sfufleet.sfu.call.ForwardingFixture;
import io.sfufleet.sfu.rtp.PacketBuffer;
import io.sfufleet.sfu.rtp.PacketPool;
import io.sfufleet.sfu.rtp.Rtp;
import io.sfufleet.sfu.srtp.SrtpResult;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;

/**
 * Fuzzes RTP header handling: the static accessors of {@link Rtp} on arbitrary bytes, and whole
 * packets a browser could send, protected with its keys and pushed through the node's real receive
 * and forward path ({@link ForwardingFixture}).
 *
 * <p>Under plain {@code mvn test} Jazzer only replays the files in
 * {@code src/test/resources/io/sfufleet/sfu/fuzz/RtpFuzzTestInputs/<method>/}; with
 * {@code JAZZER_FUZZ=1} it fuzzes one target for {@code maxDuration}.
 */
@Tag("fuzz")
class RtpFuzzTest {
    /** Few enough unknown SSRCs that the browser's per-SSRC contexts stay bounded over a long run. */
    private static final int UNKNOWN_SSRCS = 8;
    private static final int FIRST_UNKNOWN_SSRC = 5000;

    private static ForwardingFixture fixture;
    /** Next sequence number per SSRC, so every packet is new to the node's replay window. */
    private static final Map<Integer, Integer> sequences = new HashMap<>();

    @AfterAll
    static void closeFixture() {
        if (fixture != null) {
            fixture.close();
            fixture = null;
        }
    }

    /**
     * The accessors never read outside [off, off+len) once {@link Rtp#isValid} said yes, and
     * {@link Rtp#headerLength} never does at all. The packet is placed at the very end of its array
     * behind a few bytes of junk, so a read past the end throws and one before {@code off} would
     * see the junk.
     */
    @FuzzTest(maxDuration = "10s")
    void headerAccessors(byte[] data) {
        int prefix = data.length == 0 ? 0 : (data[0] & 0x03);
        byte[] b = new byte[data.length + prefix];
        System.arraycopy(data, 0, b, prefix, data.length);
        int off = prefix;
        int len = data.length;

        boolean valid = Rtp.isValid(b, off, len);
        if (len >= Rtp.FIXED_HEADER) {
            int hl = Rtp.headerLength(b, off, len);
            assertThat(hl).isGreaterThanOrEqualTo(-1);
            if (hl >= 0) {
                assertThat(hl).isGreaterThanOrEqualTo(Rtp.FIXED_HEADER);
            }
        }
        if (!valid) {
            return;
        }
        int hl = Rtp.headerLength(b, off, len);
        assertThat(hl).isBetween(Rtp.FIXED_HEADER, len);
        assertThat(Rtp.csrcCount(b, off)).isBetween(0, 15);
        assertThat(Rtp.payloadType(b, off)).isBetween(0, 127);
        assertThat(Rtp.sequence(b, off)).isBetween(0, 0xFFFF);
        assertThat(Rtp.timestamp(b, off)).isBetween(0L, 0xFFFFFFFFL);
        Rtp.ssrc(b, off);
        Rtp.marker(b, off);
        if (Rtp.hasPadding(b, off)) {
            int pad = b[off + len - 1] & 0xFF;
            assertThat(pad).isPositive();
            assertThat(hl + pad).isLessThanOrEqualTo(len);
        }
    }

    /**
     * A browser-like RTP packet (any header flags, CSRCs, extension and padding, one of the
     * publisher's SSRCs or another), given the next sequence number, protected by the publisher's
     * browser and handed to {@code PeerTransport.onSrtp}. Nothing may throw, and a packet that is
     * valid RTP on a published SSRC must reach the receiver: the node may only drop what is wrong.
     */
    @FuzzTest(maxDuration = "10s")
    void browserPacketsThroughTheNode(FuzzedDataProvider data) {
        ForwardingFixture f = fixture();
        PacketBuffer p = new PacketBuffer(PacketPool.BUFFER_SIZE);
        byte[] b = p.getBuffer();
        int ssrc = switch (data.consumeInt(0, 2)) {
            case 0 -> ForwardingFixture.AUDIO_SSRC;
            case 1 -> ForwardingFixture.VIDEO_SSRC;
            default -> FIRST_UNKNOWN_SSRC + data.consumeInt(0, UNKNOWN_SSRCS - 1);
        };
        boolean padding = data.consumeBoolean();
        boolean extension = data.consumeBoolean();
        int csrcs = data.consumeInt(0, 15);
        int payloadType = data.consumeInt(0, 127);
        boolean marker = data.consumeBoolean();
        int padLength = data.consumeInt(1, 255);
        boolean lyingPadCount = data.consumeBoolean();
        int lyingPadCountValue = data.consumeInt(0, 255);

        int pos = 0;
        b[pos++] = (byte) (0x80 | (padding ? 0x20 : 0) | (extension ? 0x10 : 0) | csrcs);
        b[pos++] = (byte) ((marker ? 0x80 : 0) | payloadType);
        int seq = sequences.merge(ssrc, 1, (a, one) -> (a + one) & 0xFFFF);
        Rtp.writeUint16(b, pos, seq);
        pos += 2;
        Rtp.writeUint32(b, pos, data.consumeInt() & 0xFFFFFFFFL);
        pos += 4;
        Rtp.writeUint32(b, pos, ssrc & 0xFFFFFFFFL);
        pos += 4;
        for (int i = 0; i < csrcs; i++) {
            Rtp.writeUint32(b, pos, data.consumeInt() & 0xFFFFFFFFL);
            pos += 4;
        }
        if (extension) {
            byte[] ext = data.consumeBytes(4 * 16);
            int words = ext.length / 4;
            Rtp.writeUint16(b, pos, data.consumeBoolean() ? 0xBEDE : 0x1000);
            Rtp.writeUint16(b, pos + 2, words);
            System.arraycopy(ext, 0, b, pos + 4, 4 * words);
            pos += 4 + 4 * words;
        }
        // room for the padding, the SRTP tag (up to 16) and nothing more: a browser stays within the MTU
        int room = p.capacity() - pos - (padding ? padLength : 0) - 16;
        byte[] payload = data.consumeBytes(Math.min(1200, room));
        System.arraycopy(payload, 0, b, pos, payload.length);
        pos += payload.length;
        if (padding) {
            for (int i = 0; i < padLength - 1; i++) {
                b[pos++] = 0;
            }
            b[pos++] = (byte) (lyingPadCount ? lyingPadCountValue : padLength);
        }
        p.setOffset(0);
        p.setLength(pos);

        boolean validRtp = Rtp.isValid(b, 0, pos);
        // RTP/RTCP demultiplexing (RFC 5761 section 4): these second bytes mean RTCP, so a browser
        // never sends RTP with payload types 64-95 and the marker set.
        boolean looksLikeRtcp = (b[1] & 0xFF) >= 192 && (b[1] & 0xFF) <= 223;
        boolean published = ssrc == ForwardingFixture.AUDIO_SSRC || ssrc == ForwardingFixture.VIDEO_SSRC;
        if (f.publisherClient().protectRtp(p) != SrtpResult.OK) {
            return; // the browser's own checks refuse it; nothing to send
        }
        long before = f.sink().toReceiver(0);

        f.publisherTransport().onSrtp(p);
        f.loop().runPending();

        if (validRtp && !looksLikeRtcp && published) {
            assertThat(f.sink().toReceiver(0))
                    .as("valid RTP on a published SSRC is forwarded (drops so far: %d)", f.drops().total())
                    .isEqualTo(before + 1);
        }
    }

    private static ForwardingFixture fixture() {
        if (fixture == null) {
            fixture = ForwardingFixture.builder().receivers(1).build();
            // Both published SSRCs get their receive context before any unknown SSRC can use up the
            // node's limit of contexts per connection.
            fixture.audioStream(100).sendNext();
            fixture.videoStream(100).sendNext();
            sequences.put(ForwardingFixture.AUDIO_SSRC, fixture.audioStream(100).sequence() + 1);
            sequences.put(ForwardingFixture.VIDEO_SSRC, fixture.videoStream(100).sequence() + 1);
        }
        return fixture;
    }
}
