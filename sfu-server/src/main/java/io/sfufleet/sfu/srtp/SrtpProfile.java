package io.sfufleet.sfu.srtp;

/** The DTLS-SRTP protection profiles we negotiate (RFC 5764, RFC 7714), most preferred first. */
public enum SrtpProfile {
    AEAD_AES_128_GCM(0x0007, 16, 12),
    AES128_CM_HMAC_SHA1_80(0x0001, 16, 14);

    /** The value in the DTLS use_srtp extension. */
    public final int id;
    public final int keyLength;
    public final int saltLength;

    SrtpProfile(int id, int keyLength, int saltLength) {
        this.id = id;
        this.keyLength = keyLength;
        this.saltLength = saltLength;
    }

    /** Bytes SRTP appends to an RTP packet: the GCM tag (RFC 7714) or HMAC-SHA1-80 (RFC 3711). */
    public int rtpTagLength() {
        return this == AEAD_AES_128_GCM ? 16 : 10;
    }

    public static SrtpProfile byId(int id) {
        for (SrtpProfile p : values()) {
            if (p.id == id) {
                return p;
            }
        }
        return null;
    }
}
