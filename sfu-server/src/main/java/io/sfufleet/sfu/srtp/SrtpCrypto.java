package io.sfufleet.sfu.srtp;

/**
 * The session keys of one direction of an SRTP association and the transforms that use them, for
 * RTP and RTCP alike. The keys do not depend on the SSRC (key derivation rate 0), so one instance
 * serves every stream of the direction; per-stream state (ROC, replay window, SRTCP index) lives in
 * {@link SrtpStream}. Everything is preallocated: a packet costs no allocation. Not thread-safe.
 *
 * <p>AES runs in OpenSSL ({@link OpenSslAes}) where libcrypto is available, else in the portable
 * Java transforms; HMAC-SHA1 always runs on the JDK's SHA-1 (as fast as OpenSSL's here).
 *
 * <p>Callers have checked the packet's layout; lengths here are trusted.
 */
abstract sealed class SrtpCrypto {
    /** RFC 3711 section 3.4: E flag and 31-bit SRTCP index. */
    static final int SRTCP_INDEX_LENGTH = 4;
    static final int RTCP_HEADER = 8;

    final int tagLength;

    private SrtpCrypto(int tagLength) {
        this.tagLength = tagLength;
    }

    /**
     * @param openSsl run AES (CTR and GCM) in OpenSSL's libcrypto ({@link OpenSslAes}), the fast
     *     path; false for the portable Java transforms ({@link AesCounterMode}, {@link Ghash})
     */
    static SrtpCrypto create(SrtpProfile profile, byte[] masterKey, byte[] masterSalt, boolean openSsl) {
        SrtpKdf kdf = new SrtpKdf(masterKey, masterSalt);
        return switch (profile) {
            case AES128_CM_HMAC_SHA1_80 -> new CmHmac(kdf, openSsl);
            case AEAD_AES_128_GCM -> new Gcm(kdf, openSsl);
        };
    }

    /** Frees native cipher contexts, if any. */
    abstract void close();

    /**
     * Encrypts the payload after {@code header} bytes and appends the tag.
     *
     * @return the new length
     */
    abstract int protectRtp(byte[] buf, int off, int len, int header, int ssrc, long index);

    /**
     * Verifies the tag at the end of {@code len} bytes and, if it matches, decrypts the payload.
     *
     * @return the length without the tag, or -1 if the tag did not match (nothing was decrypted)
     */
    abstract int unprotectRtp(byte[] buf, int off, int len, int header, int ssrc, long index);

    /**
     * Encrypts what follows the first 8 bytes and appends the E flag, {@code index} and the tag.
     *
     * @return the new length
     */
    abstract int protectRtcp(byte[] buf, int off, int len, int ssrc, int index);

    /**
     * Verifies an SRTCP packet of {@code len} bytes whose E flag and index are {@code eIndex} and
     * decrypts it if the E flag is set.
     *
     * @return the RTCP length without the trailer, or -1 if the tag did not match
     */
    abstract int unprotectRtcp(byte[] buf, int off, int len, int ssrc, int eIndex);

    /** Where the E flag and index sit in an SRTCP packet of {@code len} bytes (after the tag for GCM). */
    abstract int srtcpIndexOffset(int len);

    /** Compares without an early exit, so timing does not tell how much of a forged tag was right. */
    static boolean tagsEqual(byte[] a, int aOff, byte[] b, int bOff, int len) {
        int diff = 0;
        for (int i = 0; i < len; i++) {
            diff |= a[aOff + i] ^ b[bOff + i];
        }
        return diff == 0;
    }

    /** AES128_CM_HMAC_SHA1_80: RFC 3711 AES counter mode and an 80-bit HMAC-SHA1 tag. */
    static final class CmHmac extends SrtpCrypto {
        private static final int TAG = 10;
        private final AesCounterMode rtpAes;
        private final AesCounterMode rtcpAes;
        private final HmacSha1 rtpMac;
        private final HmacSha1 rtcpMac;
        private final byte[] rtpSalt;
        private final byte[] rtcpSalt;
        private final byte[] iv = new byte[16];
        private final byte[] mac = new byte[HmacSha1.LENGTH];
        private final byte[] word = new byte[4];
        /** Non-null when AES runs in OpenSSL; then the AesCounterModes are null. */
        private final OpenSslAes rtpSsl;
        private final OpenSslAes rtcpSsl;

        CmHmac(SrtpKdf kdf, boolean openSsl) {
            super(TAG);
            byte[] rtpKey = kdf.derive(SrtpKdf.RTP_ENCRYPTION, 16);
            byte[] rtcpKey = kdf.derive(SrtpKdf.RTCP_ENCRYPTION, 16);
            rtpAes = openSsl ? null : new AesCounterMode(rtpKey);
            rtcpAes = openSsl ? null : new AesCounterMode(rtcpKey);
            rtpSsl = openSsl ? new OpenSslAes(rtpKey, false) : null;
            rtcpSsl = openSsl ? new OpenSslAes(rtcpKey, false) : null;
            java.util.Arrays.fill(rtpKey, (byte) 0);
            java.util.Arrays.fill(rtcpKey, (byte) 0);
            rtpMac = new HmacSha1(kdf.derive(SrtpKdf.RTP_AUTHENTICATION, 20));
            rtpSalt = kdf.derive(SrtpKdf.RTP_SALT, 14);
            rtcpMac = new HmacSha1(kdf.derive(SrtpKdf.RTCP_AUTHENTICATION, 20));
            rtcpSalt = kdf.derive(SrtpKdf.RTCP_SALT, 14);
        }

        /** XORs the AES-CM keystream for the counter block in {@link #iv} into the packet. */
        private void crypt(boolean rtp, byte[] buf, int off, int len) {
            OpenSslAes ssl = rtp ? rtpSsl : rtcpSsl;
            if (ssl != null) {
                ssl.ctr(iv, buf, off, len);
            } else {
                AesCounterMode aes = rtp ? rtpAes : rtcpAes;
                aes.generate(iv, len);
                aes.xor(0, buf, off, len);
            }
        }

        @Override
        void close() {
            if (rtpSsl != null) {
                rtpSsl.close();
                rtcpSsl.close();
            }
        }

        /** RFC 3711 section 4.1.1: (salt * 2^16) XOR (SSRC * 2^64) XOR (index * 2^16). */
        private void iv(byte[] salt, int ssrc, long index) {
            System.arraycopy(salt, 0, iv, 0, 14);
            iv[14] = 0;
            iv[15] = 0;
            AesCounterMode.writeInt(iv, 4, AesCounterMode.readInt(iv, 4) ^ ssrc);
            for (int i = 0; i < 6; i++) {
                iv[13 - i] ^= (byte) (index >>> (8 * i));
            }
        }

        @Override
        int protectRtp(byte[] buf, int off, int len, int header, int ssrc, long index) {
            int payload = len - header;
            if (payload > 0) {
                iv(rtpSalt, ssrc, index);
                crypt(true, buf, off + header, payload);
            }
            rtpTag(buf, off, len, (int) (index >>> 16));
            System.arraycopy(mac, 0, buf, off + len, TAG);
            return len + TAG;
        }

        @Override
        int unprotectRtp(byte[] buf, int off, int len, int header, int ssrc, long index) {
            int plain = len - TAG;
            rtpTag(buf, off, plain, (int) (index >>> 16));
            if (!tagsEqual(mac, 0, buf, off + plain, TAG)) {
                return -1;
            }
            int payload = plain - header;
            if (payload > 0) {
                iv(rtpSalt, ssrc, index);
                crypt(true, buf, off + header, payload);
            }
            return plain;
        }

        /** RFC 3711 section 4.2: HMAC over the packet and the ROC. */
        private void rtpTag(byte[] buf, int off, int len, int roc) {
            rtpMac.start();
            rtpMac.update(buf, off, len);
            AesCounterMode.writeInt(word, 0, roc);
            rtpMac.update(word, 0, 4);
            rtpMac.finish(mac, 0);
        }

        @Override
        int protectRtcp(byte[] buf, int off, int len, int ssrc, int index) {
            int body = len - RTCP_HEADER;
            if (body > 0) {
                iv(rtcpSalt, ssrc, index);
                crypt(false, buf, off + RTCP_HEADER, body);
            }
            AesCounterMode.writeInt(buf, off + len, index | 0x8000_0000);
            int authenticated = len + SRTCP_INDEX_LENGTH;
            rtcpMac.start();
            rtcpMac.update(buf, off, authenticated);
            rtcpMac.finish(mac, 0);
            System.arraycopy(mac, 0, buf, off + authenticated, TAG);
            return authenticated + TAG;
        }

        @Override
        int unprotectRtcp(byte[] buf, int off, int len, int ssrc, int eIndex) {
            int authenticated = len - TAG;
            rtcpMac.start();
            rtcpMac.update(buf, off, authenticated);
            rtcpMac.finish(mac, 0);
            if (!tagsEqual(mac, 0, buf, off + authenticated, TAG)) {
                return -1;
            }
            int rtcp = authenticated - SRTCP_INDEX_LENGTH;
            int body = rtcp - RTCP_HEADER;
            if (eIndex < 0 && body > 0) {
                iv(rtcpSalt, ssrc, eIndex & 0x7FFF_FFFF);
                crypt(false, buf, off + RTCP_HEADER, body);
            }
            return rtcp;
        }

        @Override
        int srtcpIndexOffset(int len) {
            return len - TAG - SRTCP_INDEX_LENGTH;
        }
    }

    /** AEAD_AES_128_GCM: RFC 7714, 16-byte tag, 12-byte salt. */
    static final class Gcm extends SrtpCrypto {
        private static final int TAG = 16;
        private final AesCounterMode rtpAes;
        private final AesCounterMode rtcpAes;
        private final Ghash rtpHash;
        private final Ghash rtcpHash;
        private final byte[] rtpSalt;
        private final byte[] rtcpSalt;
        private final byte[] j0 = new byte[16];
        private final byte[] tag = new byte[16];
        private final byte[] indexWord = new byte[SRTCP_INDEX_LENGTH];
        /** Non-null when AES-GCM runs in OpenSSL; then the Java state is null. */
        private final OpenSslAes rtpSsl;
        private final OpenSslAes rtcpSsl;

        Gcm(SrtpKdf kdf, boolean openSsl) {
            this(kdf.derive(SrtpKdf.RTP_ENCRYPTION, 16), kdf.derive(SrtpKdf.RTP_SALT, 12),
                    kdf.derive(SrtpKdf.RTCP_ENCRYPTION, 16), kdf.derive(SrtpKdf.RTCP_SALT, 12), openSsl);
        }

        /** From session keys and salts (RFC 7714's test vectors start here); wipes the keys. */
        Gcm(byte[] rtpKey, byte[] rtpSalt, byte[] rtcpKey, byte[] rtcpSalt, boolean openSsl) {
            super(TAG);
            this.rtpSalt = rtpSalt;
            this.rtcpSalt = rtcpSalt;
            if (openSsl) {
                rtpSsl = new OpenSslAes(rtpKey, true);
                rtcpSsl = new OpenSslAes(rtcpKey, true);
                rtpAes = null;
                rtcpAes = null;
                rtpHash = null;
                rtcpHash = null;
            } else {
                rtpSsl = null;
                rtcpSsl = null;
                rtpAes = new AesCounterMode(rtpKey);
                rtcpAes = new AesCounterMode(rtcpKey);
                rtpHash = new Ghash(hashKey(rtpAes));
                rtcpHash = new Ghash(hashKey(rtcpAes));
            }
            java.util.Arrays.fill(rtpKey, (byte) 0);
            java.util.Arrays.fill(rtcpKey, (byte) 0);
        }

        @Override
        void close() {
            if (rtpSsl != null) {
                rtpSsl.close();
                rtcpSsl.close();
            }
        }

        private static byte[] hashKey(AesCounterMode aes) {
            // E(K, 0^128): the keystream block of an all-zero counter block.
            aes.generate(new byte[16], 16);
            byte[] h = new byte[16];
            aes.copy(0, h, 0, 16);
            return h;
        }

        /**
         * J0 = IV || 1 (RFC 7714 sections 8.1 and 9.1): IV = salt XOR (00 00 || SSRC || high ||
         * low), where high/low are ROC and sequence number for RTP, 0 and the SRTCP index for RTCP.
         */
        private void j0(byte[] salt, int ssrc, int high, int low48) {
            AesCounterMode.writeInt(j0, 0, ssrc >>> 16);
            AesCounterMode.writeInt(j0, 4, ssrc << 16 | high >>> 16);
            AesCounterMode.writeInt(j0, 8, high << 16 | low48);
            for (int i = 0; i < 12; i++) {
                j0[i] ^= salt[i];
            }
            AesCounterMode.writeInt(j0, 12, 1);
        }

        /** Keystream for J0 (the tag mask) and the payload after it. */
        private static void keystream(AesCounterMode aes, byte[] j0, int textLength) {
            aes.generate(j0, 16 + textLength);
        }

        /** tag = GHASH(aad, text) XOR E(K, J0), into {@link #tag}. */
        private void tag(AesCounterMode aes, Ghash hash, byte[] buf, int aadOff, int aadLen, int textOff, int textLen) {
            hash.reset();
            hash.update(buf, aadOff, aadLen);
            hash.endPart();
            hash.update(buf, textOff, textLen);
            hash.updateLengths(aadLen, textLen);
            aes.copy(0, tag, 0, 16);
            hash.xorInto(tag, 0);
        }

        @Override
        int protectRtp(byte[] buf, int off, int len, int header, int ssrc, long index) {
            int payload = len - header;
            j0(rtpSalt, ssrc, (int) (index >>> 16), (int) index & 0xFFFF);
            if (rtpSsl != null) {
                rtpSsl.gcm(true, j0, buf, off, header, null, 0, payload, buf, off + len);
                return len + TAG;
            }
            keystream(rtpAes, j0, payload);
            rtpAes.xor(16, buf, off + header, payload);
            tag(rtpAes, rtpHash, buf, off, header, off + header, payload);
            System.arraycopy(tag, 0, buf, off + len, TAG);
            return len + TAG;
        }

        @Override
        int unprotectRtp(byte[] buf, int off, int len, int header, int ssrc, long index) {
            int payload = len - TAG - header;
            j0(rtpSalt, ssrc, (int) (index >>> 16), (int) index & 0xFFFF);
            if (rtpSsl != null) {
                return rtpSsl.gcm(false, j0, buf, off, header, null, 0, payload, buf, off + len - TAG) ? len - TAG : -1;
            }
            keystream(rtpAes, j0, payload);
            tag(rtpAes, rtpHash, buf, off, header, off + header, payload);
            if (!tagsEqual(tag, 0, buf, off + len - TAG, TAG)) {
                return -1;
            }
            rtpAes.xor(16, buf, off + header, payload);
            return len - TAG;
        }

        @Override
        int protectRtcp(byte[] buf, int off, int len, int ssrc, int index) {
            int body = len - RTCP_HEADER;
            int eIndex = index | 0x8000_0000;
            j0(rtcpSalt, ssrc, 0, 0);
            AesCounterMode.writeInt(j0, 8, AesCounterMode.readInt(rtcpSalt, 8) ^ index);
            if (rtcpSsl != null) {
                AesCounterMode.writeInt(indexWord, 0, eIndex);
                rtcpSsl.gcm(true, j0, buf, off, RTCP_HEADER, indexWord, SRTCP_INDEX_LENGTH, body, buf, off + len);
                AesCounterMode.writeInt(buf, off + len + TAG, eIndex);
                return len + TAG + SRTCP_INDEX_LENGTH;
            }
            keystream(rtcpAes, j0, body);
            rtcpAes.xor(16, buf, off + RTCP_HEADER, body);
            // The AAD is the 8-byte header followed by E || index (RFC 7714 section 9.2), which goes
            // after the tag on the wire; it is written early to hash it, then moved.
            rtcpHash.reset();
            rtcpHash.update(buf, off, RTCP_HEADER);
            AesCounterMode.writeInt(buf, off + len, eIndex);
            rtcpHash.update(buf, off + len, SRTCP_INDEX_LENGTH);
            rtcpHash.endPart();
            rtcpHash.update(buf, off + RTCP_HEADER, body);
            rtcpHash.updateLengths(RTCP_HEADER + SRTCP_INDEX_LENGTH, body);
            rtcpAes.copy(0, tag, 0, 16);
            rtcpHash.xorInto(tag, 0);
            System.arraycopy(tag, 0, buf, off + len, TAG);
            AesCounterMode.writeInt(buf, off + len + TAG, eIndex);
            return len + TAG + SRTCP_INDEX_LENGTH;
        }

        @Override
        int unprotectRtcp(byte[] buf, int off, int len, int ssrc, int eIndex) {
            int rtcp = len - TAG - SRTCP_INDEX_LENGTH;
            boolean encrypted = eIndex < 0;
            int index = eIndex & 0x7FFF_FFFF;
            j0(rtcpSalt, ssrc, 0, 0);
            AesCounterMode.writeInt(j0, 8, AesCounterMode.readInt(rtcpSalt, 8) ^ index);
            int body = rtcp - RTCP_HEADER;
            // E=0 (RFC 7714 section 9.3): the whole packet is AAD and nothing is encrypted.
            int text = encrypted ? body : 0;
            if (rtcpSsl != null) {
                AesCounterMode.writeInt(indexWord, 0, eIndex);
                return rtcpSsl.gcm(false, j0, buf, off, encrypted ? RTCP_HEADER : rtcp, indexWord, SRTCP_INDEX_LENGTH,
                        text, buf, off + rtcp) ? rtcp : -1;
            }
            keystream(rtcpAes, j0, text);
            rtcpHash.reset();
            rtcpHash.update(buf, off, encrypted ? RTCP_HEADER : rtcp);
            int aad = encrypted ? RTCP_HEADER + SRTCP_INDEX_LENGTH : rtcp + SRTCP_INDEX_LENGTH;
            rtcpHash.update(buf, off + len - SRTCP_INDEX_LENGTH, SRTCP_INDEX_LENGTH);
            rtcpHash.endPart();
            rtcpHash.update(buf, off + RTCP_HEADER, text);
            rtcpHash.updateLengths(aad, text);
            rtcpAes.copy(0, tag, 0, 16);
            rtcpHash.xorInto(tag, 0);
            if (!tagsEqual(tag, 0, buf, off + rtcp, TAG)) {
                return -1;
            }
            rtcpAes.xor(16, buf, off + RTCP_HEADER, text);
            return rtcp;
        }

        @Override
        int srtcpIndexOffset(int len) {
            return len - SRTCP_INDEX_LENGTH;
        }
    }
}
