package io.sfufleet.sfu.sdp;

/** Builds SDP text line by line with CRLF endings, as RFC 8866 requires. */
public final class SdpWriter {
    private final StringBuilder sb = new StringBuilder(2048);

    public SdpWriter line(String l) {
        sb.append(l).append("\r\n");
        return this;
    }

    public SdpWriter attr(String name, String value) {
        sb.append("a=").append(name);
        if (value != null) {
            sb.append(':').append(value);
        }
        sb.append("\r\n");
        return this;
    }

    public SdpWriter flag(String name) {
        return attr(name, null);
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
