package io.sfufleet.sfu.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * Simulcast in SDP (RFC 8853) with rids (RFC 8851): what a publisher offers to send
 * ({@code a=rid:q send}, {@code a=simulcast:send q;h;f}) and the node's answer that it receives
 * them. The rid header extensions (RFC 8852) carry each layer's rid so the node learns its SSRC.
 */
public final class Simulcast {
    public static final String RID = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";
    public static final String REPAIRED_RID = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";

    private Simulcast() {
    }

    /**
     * The rids of the offer's {@code a=simulcast:send} list, in its order (the client lists them
     * lowest quality first), each declared by an {@code a=rid:<id> send}; the first of a set of
     * alternatives; paused ones ({@code ~}) included, since they may resume. Empty unless there
     * are at least two, and unless the offer has the rid extension to tell the layers apart.
     */
    public static List<String> sendRids(MediaSection m) {
        String sim = m.attribute("simulcast");
        if (sim == null || !m.extmaps().containsValue(RID)) {
            return List.of();
        }
        List<String> declared = new ArrayList<>();
        for (String rid : m.attributes("rid")) {
            String[] parts = rid.trim().split("\\s+");
            if (parts.length >= 2 && parts[1].equals("send")) {
                declared.add(parts[0]);
            }
        }
        String[] tokens = sim.trim().split("\\s+");
        List<String> out = new ArrayList<>();
        for (int i = 0; i + 1 < tokens.length; i += 2) {
            if (!tokens[i].equals("send")) {
                continue;
            }
            for (String stream : tokens[i + 1].split(";")) {
                String first = stream.split(",")[0];
                String rid = first.startsWith("~") ? first.substring(1) : first;
                if (declared.contains(rid) && !out.contains(rid)) {
                    out.add(rid);
                }
            }
        }
        return out.size() >= 2 ? List.copyOf(out) : List.of();
    }

    /** The answer's side: receive each rid ({@code a=rid:<id> recv}, {@code a=simulcast:recv ...}). */
    public static void writeRecv(SdpWriter w, List<String> rids) {
        for (String rid : rids) {
            w.attr("rid", rid + " recv");
        }
        w.attr("simulcast", "recv " + String.join(";", rids));
    }
}
