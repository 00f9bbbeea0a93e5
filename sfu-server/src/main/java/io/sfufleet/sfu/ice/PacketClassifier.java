package io.sfufleet.sfu.ice;

/**
 * Tells what arrived on the node's single UDP port from its first bytes, so the media loop can
 * hand it to STUN, DTLS or SRTP without trying each in turn. The ranges are RFC 7983's (which
 * updates RFC 5764 section 5.1.2); RTP and RTCP share a port by RFC 5761 and are told apart by
 * the second byte. Static and allocation-free because it runs on every datagram.
 */
public final class PacketClassifier {
    /** What a datagram is, by its first byte (and for RTP/RTCP its second). */
    public enum Kind {
        /** First byte 0..3: STUN (RFC 8489); still needs the magic cookie checked by the parser. */
        STUN,
        /** First byte 16..19: ZRTP (RFC 6189); WebRTC does not use it, so the node drops it. */
        ZRTP,
        /** First byte 20..63: a DTLS record (content types 20..63). */
        DTLS,
        /** First byte 64..79: a TURN ChannelData message (RFC 8656 channel numbers 0x4000..0x4FFF). */
        TURN_CHANNEL,
        /** First byte 128..191 (RTP version 2) and second byte outside 192..223. */
        RTP,
        /** First byte 128..191 and second byte 192..223: an RTCP packet type (RFC 5761 section 4). */
        RTCP,
        /** Empty, too short to tell RTP from RTCP, or in a range RFC 7983 leaves unassigned: drop. */
        UNKNOWN
    }

    private PacketClassifier() {
    }

    /** Classifies {@code len} bytes of {@code buf} from {@code off}; never throws for a short packet. */
    public static Kind classify(byte[] buf, int off, int len) {
        if (len <= 0) {
            return Kind.UNKNOWN;
        }
        int first = buf[off] & 0xFF;
        if (first <= 3) {
            return Kind.STUN;
        }
        if (first >= 16 && first <= 19) {
            return Kind.ZRTP;
        }
        if (first >= 20 && first <= 63) {
            return Kind.DTLS;
        }
        if (first >= 64 && first <= 79) {
            return Kind.TURN_CHANNEL;
        }
        if (first >= 128 && first <= 191) {
            if (len < 2) {
                return Kind.UNKNOWN;
            }
            return isRtcpPayloadTypeByte(buf[off + 1]) ? Kind.RTCP : Kind.RTP;
        }
        return Kind.UNKNOWN;
    }

    /** RFC 7983's STUN range; a cheap pre-check before the STUN parser. */
    public static boolean isStun(byte firstByte) {
        return (firstByte & 0xFF) <= 3;
    }

    /** RFC 7983's DTLS range. */
    public static boolean isDtls(byte firstByte) {
        int b = firstByte & 0xFF;
        return b >= 20 && b <= 63;
    }

    /** RFC 7983's RTP/RTCP range (version bits 10). */
    public static boolean isRtpOrRtcp(byte firstByte) {
        int b = firstByte & 0xFF;
        return b >= 128 && b <= 191;
    }

    /**
     * RFC 5761 section 4: the second byte of an RTCP packet is its packet type, 192..223 in
     * practice (SR 200, RR 201, RTPFB 205, PSFB 206 ...); in RTP that byte is marker bit plus
     * payload type, and dynamic payload types are kept out of 64..95 so the two never collide.
     */
    public static boolean isRtcpPayloadTypeByte(byte secondByte) {
        int b = secondByte & 0xFF;
        return b >= 192 && b <= 223;
    }
}
