package io.sfufleet.sfu.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sfufleet.sfu.call.ForwardingFixture;
import io.sfufleet.sfu.rtcp.Rtcp;
import io.sfufleet.sfu.rtp.PacketBuffer;
import io.sfufleet.sfu.rtp.PacketPool;
import io.sfufleet.sfu.rtp.Rtp;
import io.sfufleet.sfu.srtp.SrtpResult;
import io.sfufleet.sfu.srtp.SrtpSession;
import io.sfufleet.sfu.transport.PeerTransport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;

/**
 * Fuzzes RTCP: {@link Rtcp#isValidCompound} on arbitrary bytes, and arbitrary plaintext RTCP from
 * a subscriber (feedback: PLI, FIR, NACK, receiver reports) and from a publisher (sender reports)
 * through the node's real path: the client's SRTCP protect, {@code PeerTransport.onSrtp} (demux,
 * unprotect, compound check) and {@code CallManager.onRtcp}, including what it sends on (PLIs and
 * NACKs to the publisher, SRs to receivers). Nothing may throw, and whatever the node sends in
 * reaction must decrypt at the other end to a valid compound packet.
 *
 * <p>Seeds in {@code src/test/resources/io/sfufleet/sfu/fuzz/RtcpFuzzTestInputs/<method>/} are
 * well-formed packets about the fixture's SSRCs (1001 audio, 2001 video), so mutations start
 * where the call logic acts on them.
 */
@Tag("fuzz")
class RtcpFuzzTest {
    private static final int[] SENDER_SSRCS = {ForwardingFixture.AUDIO_SSRC, ForwardingFixture.VIDEO_SSRC, 1, 7777};

    private static ForwardingFixture fixture;

    @AfterAll
    static void closeFixture() {
        if (fixture != null) {
            fixture.close();
            fixture = null;
        }
    }

    /**
     * A compound that passes {@link Rtcp#isValidCompound} can be walked by header lengths to its
     * exact end, every sub-packet inside [off, off+len). The packet sits at the end of its array
     * so a read past it throws.
     */
    @FuzzTest(maxDuration = "10s")
    void compoundValidation(byte[] data) {
        int prefix = data.length == 0 ? 0 : (data[0] & 0x03);
        byte[] b = new byte[data.length + prefix];
        System.arraycopy(data, 0, b, prefix, data.length);
        int off = prefix;
        int end = off + data.length;

        if (!Rtcp.isValidCompound(b, off, data.length)) {
            return;
        }
        int pos = off;
        while (pos < end) {
            int len = Rtcp.packetLength(b, pos);
            assertThat(len).isGreaterThanOrEqualTo(4);
            assertThat(pos + len).isLessThanOrEqualTo(end);
            assertThat(Rtcp.packetType(b, pos)).isBetween(192, 223);
            assertThat(Rtcp.countOrFmt(b, pos)).isBetween(0, 31);
            if (len >= 8) {
                Rtcp.senderSsrc(b, pos);
            }
            if (len >= 12) {
                Rtcp.mediaSsrc(b, pos);
            }
            Rtcp.readRembBitrate(b, pos);
            pos += len;
        }
        assertThat(pos).isEqualTo(end);
    }

    /** Plaintext RTCP a receiver's browser sends on its subscribe connection. */
    @FuzzTest(maxDuration = "10s")
    void fromSubscriber(byte[] rtcp) {
        ForwardingFixture f = fixture();
        long toPublisher = f.sink().toPublisher();

        deliver(f.receiverClient(0), f.receiverTransport(0), rtcp);

        if (f.sink().toPublisher() > toPublisher) {
            // A PLI or a NACK went to the publisher: it must be sound SRTCP for the publisher's browser.
            decryptsToValidCompound(f.publisherClient(), f.sink().lastToPublisher());
        }
    }

    /** Plaintext RTCP a publisher's browser sends on its publish connection. */
    @FuzzTest(maxDuration = "10s")
    void fromPublisher(byte[] rtcp) {
        ForwardingFixture f = fixture();
        long toReceiver = f.sink().toReceiver(0);

        deliver(f.publisherClient(), f.publisherTransport(), rtcp);

        if (f.sink().toReceiver(0) > toReceiver) {
            // A sender report was passed on to the receiver.
            PacketBuffer sent = new PacketBuffer(PacketPool.BUFFER_SIZE);
            f.sink().lastTo(0, sent);
            decryptsToValidCompound(f.receiverClient(0), sent);
        }
    }

    /** Protects {@code rtcp} as the browser would and hands it to the node as if off the socket. */
    private static void deliver(SrtpSession browser, PeerTransport transport, byte[] rtcp) {
        PacketBuffer p = new PacketBuffer(PacketPool.BUFFER_SIZE);
        // Room for the SRTCP index and the longest tag, as a browser within the MTU leaves.
        int len = Math.min(rtcp.length, p.capacity() - 4 - 16);
        p.set(rtcp, 0, len);
        if (len >= 8) {
            boundSenderSsrc(p.getBuffer());
        }
        if (browser.protectRtcp(p) != SrtpResult.OK) {
            return; // not even an RTCP header: the browser would not send it
        }
        transport.onSrtp(p);
        fixture.loop().runPending();
    }

    /**
     * SRTCP keeps a crypto context per sender SSRC (the first sub-packet's), on both sides, and the
     * node keeps at most 64. Arbitrary SSRCs would fill both up and starve the rest of the run, so
     * any SSRC but a few is mapped onto those few: the publisher's two, and two others.
     */
    private static void boundSenderSsrc(byte[] b) {
        int ssrc = (int) Rtp.readUint32(b, 4);
        for (int known : SENDER_SSRCS) {
            if (ssrc == known) {
                return;
            }
        }
        Rtp.writeUint32(b, 4, SENDER_SSRCS[ssrc & 3] & 0xFFFFFFFFL);
    }

    private static void decryptsToValidCompound(SrtpSession client, PacketBuffer sent) {
        assertThat(client.unprotectRtcp(sent)).as("what the node sent decrypts").isEqualTo(SrtpResult.OK);
        assertThat(Rtcp.isValidCompound(sent.getBuffer(), sent.getOffset(), sent.getLength()))
                .as("what the node sent is a valid compound packet").isTrue();
    }

    private static ForwardingFixture fixture() {
        if (fixture == null) {
            fixture = ForwardingFixture.builder().receivers(1).build();
            fixture.sink().capture(true);
        }
        return fixture;
    }
}
