package io.sfufleet.sfu.loadtest.peer;

import io.sfufleet.sfu.ice.IceCredentials;
import io.sfufleet.sfu.loadtest.media.MediaProfile;
import io.sfufleet.sfu.loadtest.media.RtpStreamSender;
import io.sfufleet.sfu.sdp.MediaSection;
import io.sfufleet.sfu.sdp.SdpException;
import io.sfufleet.sfu.sdp.SdpWriter;
import io.sfufleet.sfu.sdp.SessionDescription;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The SDP a browser would write for the client's side: the publish offer (one sendonly m-section per
 * source, Opus or VP8, BUNDLE, rtcp-mux, a=ssrc) and the answer to a server's offer (recvonly, the
 * offered codec, {@code a=setup:active}), plus reading the server's ICE, DTLS and candidate from its
 * SDP.
 */
public final class ClientSdp {
    /** Payload types as Chrome numbers them. */
    public static final int OPUS_PT = 111;
    public static final int VP8_PT = 96;

    /** One m-section of the publish offer. */
    public record Outgoing(String mid, MediaProfile profile, int ssrc) {
    }

    /** How to reach the server's side of a connection, from its SDP. */
    public record RemoteTransport(String ufrag, String password, String fingerprint, InetSocketAddress candidate,
                                  boolean iceLite) {
        /** RFC 8445 section 6.1.1: a lite peer is always controlled; between full agents the offerer controls. */
        public boolean weControl(boolean weOffered) {
            return iceLite || weOffered;
        }
    }

    private ClientSdp() {
    }

    /**
     * @param setup {@code actpass} as browsers offer; {@code active} to stay the DTLS client with a
     *              server that would otherwise take the client role when answering (Janus)
     */
    public static String publishOffer(long sessionId, IceCredentials ice, String fingerprint,
                                      InetSocketAddress local, List<Outgoing> sections, String setup) {
        SdpWriter w = header(sessionId, sections.stream().map(Outgoing::mid).toList());
        String cname = "lt" + Long.toHexString(sessionId);
        for (Outgoing o : sections) {
            boolean audio = o.profile() == MediaProfile.AUDIO;
            int pt = audio ? OPUS_PT : VP8_PT;
            w.line("m=" + o.profile().kind + " 9 UDP/TLS/RTP/SAVPF " + pt)
                    .line("c=IN IP4 0.0.0.0");
            transport(w, ice, fingerprint, setup, o.mid());
            w.flag("sendonly").flag("rtcp-mux");
            if (audio) {
                w.attr("extmap", RtpStreamSender.AUDIO_LEVEL_EXTENSION_ID + " urn:ietf:params:rtp-hdrext:ssrc-audio-level")
                        .attr("rtpmap", pt + " opus/48000/2").attr("fmtp", pt + " minptime=10;useinbandfec=1");
            } else {
                w.flag("rtcp-rsize")
                        .attr("rtpmap", pt + " VP8/90000")
                        .attr("rtcp-fb", pt + " goog-remb")
                        .attr("rtcp-fb", pt + " ccm fir")
                        .attr("rtcp-fb", pt + " nack")
                        .attr("rtcp-fb", pt + " nack pli");
            }
            long ssrc = Integer.toUnsignedLong(o.ssrc());
            String msid = cname + " " + o.profile().source + o.mid();
            w.attr("msid", msid)
                    .attr("ssrc", ssrc + " cname:" + cname)
                    .attr("ssrc", ssrc + " msid:" + msid);
            candidate(w, local);
        }
        return w.toString();
    }

    /**
     * The answer to a server's offer: every m-section it offers sendonly is answered recvonly with
     * its first codec; inactive ones stay inactive; rejected ones (port 0) stay rejected.
     */
    public static String answer(String offerSdp, long sessionId, IceCredentials ice, String fingerprint,
                                InetSocketAddress local) throws SdpException {
        SessionDescription offer = SessionDescription.parse(offerSdp);
        List<String> bundle = new ArrayList<>();
        for (MediaSection m : offer.media()) {
            if (m.port() != 0 && m.mid() != null) {
                bundle.add(m.mid());
            }
        }
        SdpWriter w = header(sessionId, bundle);
        for (MediaSection m : offer.media()) {
            if (m.formats().isEmpty()) {
                throw new SdpException("offered m=" + m.kind() + " has no formats");
            }
            int pt = m.formats().get(0);
            if (m.port() == 0) {
                w.line("m=" + m.kind() + " 0 " + m.proto() + " " + pt);
                if (m.mid() != null) {
                    w.attr("mid", m.mid());
                }
                continue;
            }
            w.line("m=" + m.kind() + " 9 " + m.proto() + " " + pt).line("c=IN IP4 0.0.0.0");
            transport(w, ice, fingerprint, "active", m.mid());
            String dir = m.direction();
            w.flag(dir.equals("sendonly") || dir.equals("sendrecv") ? "recvonly" : "inactive").flag("rtcp-mux");
            if (m.kind().equals("video")) {
                w.flag("rtcp-rsize");
            }
            String rtpmap = m.rtpmaps().get(pt);
            if (rtpmap != null) {
                w.attr("rtpmap", pt + " " + rtpmap);
            }
            for (String f : m.forPayloadType("fmtp", pt)) {
                w.attr("fmtp", pt + " " + f);
            }
            for (String fb : m.forPayloadType("rtcp-fb", pt)) {
                w.attr("rtcp-fb", pt + " " + fb);
            }
            candidate(w, local);
        }
        return w.toString();
    }

    /**
     * The server's ICE credentials, fingerprint and first UDP host candidate, from the first
     * m-section that has them (BUNDLE: one transport for all).
     */
    public static RemoteTransport remoteTransport(SessionDescription sdp) throws SdpException {
        for (MediaSection m : sdp.media()) {
            if (m.port() == 0) {
                continue;
            }
            String ufrag = sdp.attribute(m, "ice-ufrag");
            String pwd = sdp.attribute(m, "ice-pwd");
            String fp = sdp.attribute(m, "fingerprint");
            InetSocketAddress candidate = null;
            for (String c : m.attributes("candidate")) {
                candidate = udpCandidate(c);
                if (candidate != null) {
                    break;
                }
            }
            if (ufrag == null || pwd == null || fp == null) {
                throw new SdpException("the server's SDP lacks a=ice-ufrag, a=ice-pwd or a=fingerprint");
            }
            if (candidate == null) {
                throw new SdpException("the server's SDP has no UDP candidate");
            }
            return new RemoteTransport(ufrag, pwd, fp, candidate, sdp.sessionAttribute("ice-lite") != null
                    || m.attribute("ice-lite") != null);
        }
        throw new SdpException("the server's SDP has no usable m-section");
    }

    /** "foundation component udp priority address port typ host ..." to its address, or null when not UDP. */
    static InetSocketAddress udpCandidate(String value) {
        String[] f = value.trim().split("\\s+");
        if (f.length < 8 || !f[2].equalsIgnoreCase("udp") || !f[1].equals("1")) {
            return null;
        }
        try {
            return new InetSocketAddress(java.net.InetAddress.getByName(f[4]), Integer.parseInt(f[5]));
        } catch (java.net.UnknownHostException | NumberFormatException e) {
            return null; // an mDNS name or garbage: not a candidate we can use
        }
    }

    /** mid to the SSRCs its m-section announces and its msid ("participantId trackId"). */
    public static Map<Long, String[]> ssrcOwners(SessionDescription sdp) {
        Map<Long, String[]> out = new java.util.HashMap<>();
        for (MediaSection m : sdp.media()) {
            String msid = sdp.attribute(m, "msid");
            String[] parts = msid == null ? new String[0] : msid.trim().split("\\s+");
            for (long ssrc : m.ssrcs()) {
                out.put(ssrc, parts);
            }
        }
        return out;
    }

    private static SdpWriter header(long sessionId, List<String> bundleMids) {
        SdpWriter w = new SdpWriter()
                .line("v=0")
                .line("o=- " + sessionId + " 2 IN IP4 127.0.0.1")
                .line("s=-")
                .line("t=0 0");
        if (!bundleMids.isEmpty()) {
            w.attr("group", "BUNDLE " + String.join(" ", bundleMids));
        }
        return w.attr("msid-semantic", " WMS *");
    }

    private static void transport(SdpWriter w, IceCredentials ice, String fingerprint, String setup, String mid) {
        w.attr("ice-ufrag", ice.ufrag())
                .attr("ice-pwd", ice.password())
                .attr("fingerprint", fingerprint)
                .attr("setup", setup)
                .attr("mid", mid);
    }

    private static void candidate(SdpWriter w, InetSocketAddress local) {
        String ip = local.getAddress().getHostAddress();
        w.attr("candidate", "1 1 udp " + io.sfufleet.sfu.loadtest.ice.StunBindingClient.HOST_PRIORITY + " " + ip
                + " " + local.getPort() + " typ host").flag("end-of-candidates");
    }
}
