package io.sfufleet.sfu.sdp;

/** An SDP the node cannot use; the message says which line or attribute and why. */
public final class SdpException extends Exception {
    public SdpException(String message) {
        super(message);
    }
}
