package io.sfufleet.sfu.sdp;

import java.util.List;
import java.util.Locale;

/**
 * Picks the codec the node accepts from an offered m-section: Opus for audio; for video the first
 * of the configured codecs the offer carries (by default VP8, then VP9 or AV1 of profile 0, sent
 * layered (SVC), then H264 with packetization-mode=1). The node forwards packets unchanged, so a
 * codec is only acceptable if every receiver can decode it: browsers all decode these.
 */
public final class Codecs {
    private Codecs() {
    }

    /**
     * The chosen payload type and its attributes.
     *
     * @param redPayloadType audio only: the offered RED (RFC 2198) payload type carrying this Opus
     *                       ({@code a=fmtp:63 111/111}), kept so a sender's redundant audio passes
     *                       through to receivers; -1 for none
     * @param redFirst       the offer put RED before Opus: the client wants to send RED
     */
    public record Choice(int payloadType, String rtpmap, List<String> fmtp, List<String> rtcpFb, int clockRate,
                         int redPayloadType, boolean redFirst) {
        public Choice(int payloadType, String rtpmap, List<String> fmtp, List<String> rtcpFb, int clockRate) {
            this(payloadType, rtpmap, fmtp, rtcpFb, clockRate, -1, false);
        }

        /** The payload types of the m-line, in preference order. */
        public List<Integer> payloadTypes() {
            if (redPayloadType < 0) {
                return List.of(payloadType);
            }
            return redFirst ? List.of(redPayloadType, payloadType) : List.of(payloadType, redPayloadType);
        }
    }

    /** media.video_codecs' default: VP8 first, so simulcast works for clients that offer it. */
    public static final List<String> DEFAULT_VIDEO = List.of("vp8", "vp9", "av1", "h264");

    /** {@link #choose(MediaSection, List)} with the default video codecs. */
    public static Choice choose(MediaSection m) {
        return choose(m, DEFAULT_VIDEO);
    }

    /**
     * The codec to accept for {@code m}: Opus for audio; for video the first of {@code videoCodecs}
     * (names as config media.video_codecs takes them, preferred first) that the offer carries.
     */
    public static Choice choose(MediaSection m, List<String> videoCodecs) {
        if (m.kind().equals("audio")) {
            for (var e : m.rtpmaps().entrySet()) {
                if (e.getValue().toLowerCase(Locale.ROOT).startsWith("opus/48000")) {
                    return withRed(m, choice(m, e.getKey(), e.getValue(), 48000));
                }
            }
            return null;
        }
        if (!m.kind().equals("video")) {
            return null;
        }
        for (String name : videoCodecs) {
            Choice c = switch (name) {
                case "vp8" -> first(m, "VP8/90000");
                // VP9 and AV1 of profile 0, what every browser decodes; their spatial and temporal
                // layers (SVC) are chosen per receiver from the dependency descriptor (io.sfufleet.sfu.svc).
                case "vp9" -> scalable(m, "VP9/90000", "profile-id");
                case "av1" -> scalable(m, "AV1/90000", "profile");
                case "h264" -> h264(m);
                default -> null;
            };
            if (c != null) {
                return c;
            }
        }
        return null;
    }

    private static Choice first(MediaSection m, String rtpmap) {
        for (var e : m.rtpmaps().entrySet()) {
            if (e.getValue().equalsIgnoreCase(rtpmap)) {
                return choice(m, e.getKey(), e.getValue(), 90000);
            }
        }
        return null;
    }

    /** H264 with packetization-mode=1; constrained baseline (decodes everywhere) before high profiles. */
    private static Choice h264(MediaSection m) {
        Choice h264 = null;
        for (var e : m.rtpmaps().entrySet()) {
            if (!e.getValue().equalsIgnoreCase("H264/90000")) {
                continue;
            }
            String fmtp = String.join(";", m.forPayloadType("fmtp", e.getKey()));
            if (!fmtp.contains("packetization-mode=1")) {
                continue;
            }
            Choice c = choice(m, e.getKey(), e.getValue(), 90000);
            if (fmtp.contains("profile-level-id=42e01f")) {
                return c;
            }
            if (h264 == null) {
                h264 = c;
            }
        }
        return h264;
    }

    /** The first {@code rtpmap} payload type whose fmtp has {@code profileParam} 0 or none. */
    private static Choice scalable(MediaSection m, String rtpmap, String profileParam) {
        for (var e : m.rtpmaps().entrySet()) {
            if (!e.getValue().equalsIgnoreCase(rtpmap)) {
                continue;
            }
            String profile = fmtpValue(m.forPayloadType("fmtp", e.getKey()), profileParam);
            if (profile == null || profile.equals("0")) {
                return choice(m, e.getKey(), e.getValue(), 90000);
            }
        }
        return null;
    }

    private static String fmtpValue(List<String> fmtp, String name) {
        for (String line : fmtp) {
            for (String kv : line.split(";")) {
                int eq = kv.indexOf('=');
                if (eq > 0 && kv.substring(0, eq).trim().equalsIgnoreCase(name)) {
                    return kv.substring(eq + 1).trim();
                }
            }
        }
        return null;
    }

    /**
     * Keeps RED for Opus where offered as Chrome does ({@code red/48000/2}, {@code fmtp 111/111}:
     * every block Opus). Redundancy is the sender's; the node forwards it like any payload.
     */
    private static Choice withRed(MediaSection m, Choice opus) {
        String opusPt = Integer.toString(opus.payloadType());
        for (var e : m.rtpmaps().entrySet()) {
            if (!e.getValue().equalsIgnoreCase("red/48000/2")) {
                continue;
            }
            List<String> fmtp = m.forPayloadType("fmtp", e.getKey());
            if (fmtp.size() != 1 || fmtp.get(0).isBlank()) {
                continue;
            }
            boolean allOpus = true;
            for (String block : fmtp.get(0).trim().split("/")) {
                allOpus &= block.equals(opusPt);
            }
            if (allOpus) {
                boolean redFirst = m.formats().indexOf(e.getKey()) < m.formats().indexOf(opus.payloadType());
                return new Choice(opus.payloadType(), opus.rtpmap(), opus.fmtp(), opus.rtcpFb(), opus.clockRate(),
                        e.getKey(), redFirst);
            }
        }
        return opus;
    }

    /** Keeps every offered rtcp-fb: the node answers NACK, PLI/FIR, REMB and transport-cc (all it sends or reads). */
    private static Choice choice(MediaSection m, int pt, String rtpmap, int clock) {
        return new Choice(pt, rtpmap, m.forPayloadType("fmtp", pt), m.forPayloadType("rtcp-fb", pt), clock);
    }
}
