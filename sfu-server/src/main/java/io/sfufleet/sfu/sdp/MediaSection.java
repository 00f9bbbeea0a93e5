package io.sfufleet.sfu.sdp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One m-section of a parsed SDP: the m-line and its attributes in order. */
public final class MediaSection {
    private final String kind;
    private final int port;
    private final String proto;
    private final List<Integer> formats;
    private final List<String[]> attributes = new ArrayList<>();

    MediaSection(String kind, int port, String proto, List<Integer> formats) {
        this.kind = kind;
        this.port = port;
        this.proto = proto;
        this.formats = List.copyOf(formats);
    }

    void add(String name, String value) {
        attributes.add(new String[] {name, value});
    }

    int attributeCount() {
        return attributes.size();
    }

    public String kind() {
        return kind;
    }

    public int port() {
        return port;
    }

    public String proto() {
        return proto;
    }

    public List<Integer> formats() {
        return formats;
    }

    /** First value of attribute {@code name}; "" for a flag attribute; null if absent. */
    public String attribute(String name) {
        for (String[] a : attributes) {
            if (a[0].equals(name)) {
                return a[1];
            }
        }
        return null;
    }

    public List<String> attributes(String name) {
        List<String> out = new ArrayList<>();
        for (String[] a : attributes) {
            if (a[0].equals(name)) {
                out.add(a[1]);
            }
        }
        return out;
    }

    public String mid() {
        return attribute("mid");
    }

    /** sendrecv, sendonly, recvonly or inactive; sendrecv when none is given (RFC 8866). */
    public String direction() {
        for (String d : new String[] {"sendrecv", "sendonly", "recvonly", "inactive"}) {
            if (attribute(d) != null) {
                return d;
            }
        }
        return "sendrecv";
    }

    /** Whether the remote side sends on this m-section (it is sendonly or sendrecv from its side). */
    public boolean remoteSends() {
        String d = direction();
        return port != 0 && (d.equals("sendonly") || d.equals("sendrecv"));
    }

    /** payload type -> encoding ("opus/48000/2"), in the m-line's order of preference. */
    public Map<Integer, String> rtpmaps() {
        Map<Integer, String> byPt = new LinkedHashMap<>();
        for (String v : attributes("rtpmap")) {
            int sp = v.indexOf(' ');
            if (sp > 0) {
                try {
                    byPt.put(Integer.parseInt(v.substring(0, sp)), v.substring(sp + 1).trim());
                } catch (NumberFormatException e) {
                    // an rtpmap with a non-numeric payload type cannot be used; skip it
                }
            }
        }
        Map<Integer, String> ordered = new LinkedHashMap<>();
        for (int pt : formats) {
            if (byPt.containsKey(pt)) {
                ordered.put(pt, byPt.get(pt));
            }
        }
        return ordered;
    }

    /** Values of a per-payload-type attribute (fmtp, rtcp-fb) for {@code pt}, without the pt. */
    public List<String> forPayloadType(String name, int pt) {
        List<String> out = new ArrayList<>();
        String prefix = pt + " ";
        for (String v : attributes(name)) {
            if (v.startsWith(prefix)) {
                out.add(v.substring(prefix.length()).trim());
            }
        }
        return out;
    }

    /** The SSRCs announced with a=ssrc lines, in order, without duplicates. */
    public List<Long> ssrcs() {
        List<Long> out = new ArrayList<>();
        for (String v : attributes("ssrc")) {
            int sp = v.indexOf(' ');
            String num = sp > 0 ? v.substring(0, sp) : v;
            try {
                long s = Long.parseLong(num);
                if (s >= 0 && s <= 0xFFFFFFFFL && !out.contains(s)) {
                    out.add(s);
                }
            } catch (NumberFormatException e) {
                // malformed ssrc line: ignored, the rest of the section may still be usable
            }
        }
        return out;
    }

    /** SSRCs that are the second member of an a=ssrc-group (FID = RTX, FEC-FR = FEC). */
    public List<Long> secondarySsrcs() {
        List<Long> out = new ArrayList<>();
        for (String v : attributes("ssrc-group")) {
            String[] parts = v.trim().split("\\s+");
            for (int i = 2; i < parts.length; i++) {
                try {
                    out.add(Long.parseLong(parts[i]));
                } catch (NumberFormatException e) {
                    // skip
                }
            }
        }
        return out;
    }

    /** extmap id -> URI. */
    public Map<Integer, String> extmaps() {
        Map<Integer, String> out = new LinkedHashMap<>();
        for (String v : attributes("extmap")) {
            String[] parts = v.trim().split("\\s+");
            if (parts.length >= 2) {
                String id = parts[0];
                int slash = id.indexOf('/');
                if (slash > 0) {
                    id = id.substring(0, slash);
                }
                try {
                    out.put(Integer.parseInt(id), parts[1]);
                } catch (NumberFormatException e) {
                    // skip
                }
            }
        }
        return out;
    }
}
