package io.sfufleet.sfu.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * A parsed SDP. Lenient where browsers differ (unknown lines are kept or skipped), strict where
 * the node depends on a value (m-lines, ports), so a bad offer fails with a message, never with an
 * exception from deep inside the call logic.
 */
public final class SessionDescription {
    /** Far above any real offer; a bound so a hostile one cannot make us parse megabytes of lines. */
    public static final int MAX_SECTIONS = 256;
    /**
     * Per m-section bounds, far above what browsers write (Chrome: about 60 attributes, 20 formats).
     * The node parses on its media loop: an offer must not be able to buy seconds of CPU there.
     */
    public static final int MAX_ATTRIBUTES_PER_SECTION = 512;
    public static final int MAX_FORMATS_PER_SECTION = 128;

    private final List<String[]> sessionAttributes = new ArrayList<>();
    private final List<MediaSection> media = new ArrayList<>();

    private SessionDescription() {
    }

    public static SessionDescription parse(String sdp) throws SdpException {
        if (sdp == null || sdp.isBlank()) {
            throw new SdpException("empty SDP");
        }
        SessionDescription d = new SessionDescription();
        MediaSection current = null;
        int lineNo = 0;
        for (String raw : sdp.split("\r?\n")) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.length() < 2 || line.charAt(1) != '=') {
                throw new SdpException("line " + lineNo + " is not of the form x=value");
            }
            char type = line.charAt(0);
            String value = line.substring(2);
            if (type == 'm') {
                if (d.media.size() >= MAX_SECTIONS) {
                    throw new SdpException("more than " + MAX_SECTIONS + " m-sections");
                }
                current = parseMediaLine(value, lineNo);
                d.media.add(current);
            } else if (type == 'a') {
                int colon = value.indexOf(':');
                String name = colon < 0 ? value : value.substring(0, colon);
                String v = colon < 0 ? "" : value.substring(colon + 1);
                if (current == null) {
                    if (d.sessionAttributes.size() >= MAX_ATTRIBUTES_PER_SECTION) {
                        throw new SdpException("more than " + MAX_ATTRIBUTES_PER_SECTION + " session attributes");
                    }
                    d.sessionAttributes.add(new String[] {name, v});
                } else {
                    if (current.attributeCount() >= MAX_ATTRIBUTES_PER_SECTION) {
                        throw new SdpException("m-section " + d.media.size() + " has more than "
                                + MAX_ATTRIBUTES_PER_SECTION + " attributes");
                    }
                    current.add(name, v);
                }
            }
        }
        if (d.media.isEmpty()) {
            throw new SdpException("no m-sections");
        }
        return d;
    }

    private static MediaSection parseMediaLine(String value, int lineNo) throws SdpException {
        String[] p = value.trim().split("\\s+");
        if (p.length < 3) {
            throw new SdpException("m-line at line " + lineNo + " needs kind, port and protocol");
        }
        int port;
        try {
            String portPart = p[1];
            int slash = portPart.indexOf('/');
            port = Integer.parseInt(slash < 0 ? portPart : portPart.substring(0, slash));
        } catch (NumberFormatException e) {
            throw new SdpException("m-line at line " + lineNo + " has a bad port: " + p[1]);
        }
        if (port < 0 || port > 65535) {
            throw new SdpException("m-line at line " + lineNo + " has a port out of range: " + port);
        }
        if (p.length - 3 > MAX_FORMATS_PER_SECTION) {
            throw new SdpException("m-line at line " + lineNo + " lists more than " + MAX_FORMATS_PER_SECTION + " formats");
        }
        List<Integer> formats = new ArrayList<>();
        for (int i = 3; i < p.length; i++) {
            try {
                formats.add(Integer.parseInt(p[i]));
            } catch (NumberFormatException e) {
                // non-RTP formats (webrtc-datachannel); the section is still listed so it can be rejected
            }
        }
        return new MediaSection(p[0], port, p[2], formats);
    }

    public List<MediaSection> media() {
        return media;
    }

    public String sessionAttribute(String name) {
        for (String[] a : sessionAttributes) {
            if (a[0].equals(name)) {
                return a[1];
            }
        }
        return null;
    }

    /** An attribute of the m-section, else of the session (ICE and DTLS attributes may be in either). */
    public String attribute(MediaSection m, String name) {
        String v = m.attribute(name);
        return v != null ? v : sessionAttribute(name);
    }
}
