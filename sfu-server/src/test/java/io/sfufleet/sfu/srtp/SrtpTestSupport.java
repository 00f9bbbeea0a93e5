package io.sfufleet.sfu.srtp;

import io.sfufleet.sfu.rtp.PacketBuffer;
import io.sfufleet.sfu.rtp.PacketPool;
import java.util.Arrays;
import java.util.HexFormat;

/** Packets and keys shared by the SRTP tests and the benchmark. */
public final class SrtpTestSupport {
    private SrtpTestSupport() {
    }

    public static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("\\s+", ""));
    }

    public static String hex(PacketBuffer p) {
        return HexFormat.of().formatHex(p.getBuffer(), p.getOffset(), p.getOffset() + p.getLength());
    }

    /** Distinct, arbitrary client and server keys for round trips (not a published vector). */
    public static SrtpKeyingMaterial keys(SrtpProfile profile) {
        byte[] m = new byte[2 * (profile.keyLength + profile.saltLength)];
        for (int i = 0; i < m.length; i++) {
            m[i] = (byte) (i * 37 + 11);
        }
        return SrtpKeyingMaterial.fromExporter(profile, m);
    }

    public static PacketBuffer buffer() {
        return new PacketBuffer(PacketPool.BUFFER_SIZE);
    }

    /** An RTP packet: V=2, PT 111, the given sequence number and SSRC, a patterned payload. */
    public static byte[] rtp(int seq, int ssrc, int payloadLength) {
        byte[] p = new byte[12 + payloadLength];
        p[0] = (byte) 0x80;
        p[1] = 111;
        p[2] = (byte) (seq >> 8);
        p[3] = (byte) seq;
        int ts = seq * 960;
        p[4] = (byte) (ts >> 24);
        p[5] = (byte) (ts >> 16);
        p[6] = (byte) (ts >> 8);
        p[7] = (byte) ts;
        p[8] = (byte) (ssrc >> 24);
        p[9] = (byte) (ssrc >> 16);
        p[10] = (byte) (ssrc >> 8);
        p[11] = (byte) ssrc;
        for (int i = 12; i < p.length; i++) {
            p[i] = (byte) (i * 7 + seq);
        }
        return p;
    }

    /** An RTCP receiver report with one report block (RFC 3550 section 6.4.2), 32 bytes. */
    public static byte[] rtcpReceiverReport(int senderSsrc) {
        byte[] p = new byte[32];
        p[0] = (byte) 0x81; // V=2, P=0, RC=1
        p[1] = (byte) 201; // PT=RR
        p[3] = 7; // length in 32-bit words minus one
        p[4] = (byte) (senderSsrc >> 24);
        p[5] = (byte) (senderSsrc >> 16);
        p[6] = (byte) (senderSsrc >> 8);
        p[7] = (byte) senderSsrc;
        Arrays.fill(p, 8, 32, (byte) 0x5a); // report block contents do not matter to SRTCP
        return p;
    }

    public static PacketBuffer packet(byte[] bytes) {
        return buffer().set(bytes, 0, bytes.length);
    }
}
