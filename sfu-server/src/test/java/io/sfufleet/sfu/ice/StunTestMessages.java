package io.sfufleet.sfu.ice;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Writes and reads STUN messages byte by byte, straight from RFC 8489, for tests. Deliberately
 * shares no code with ice4j or {@link IceLiteResponder}: a test that encodes and decodes with the
 * same library cannot see a mistake both halves make. The RFC 5769 vectors check this class.
 */
public final class StunTestMessages {
    public static final int BINDING_REQUEST = 0x0001;
    public static final int BINDING_INDICATION = 0x0011;
    public static final int BINDING_SUCCESS = 0x0101;
    public static final int BINDING_ERROR = 0x0111;

    public static final int USERNAME = 0x0006;
    public static final int MESSAGE_INTEGRITY = 0x0008;
    public static final int ERROR_CODE = 0x0009;
    public static final int XOR_MAPPED_ADDRESS = 0x0020;
    public static final int PRIORITY = 0x0024;
    public static final int USE_CANDIDATE = 0x0025;
    public static final int SOFTWARE = 0x8022;
    public static final int FINGERPRINT = 0x8028;
    public static final int ICE_CONTROLLED = 0x8029;
    public static final int ICE_CONTROLLING = 0x802A;
    /** Chrome's GOOG-NETWORK-INFO: comprehension-optional, so a server must ignore it. */
    public static final int GOOG_NETWORK_INFO = 0xC057;

    private static final int MAGIC_COOKIE = 0x2112A442;

    private StunTestMessages() {
    }

    /** Hex as RFCs print it: spaces, newlines and {@code //} comments are ignored. */
    public static byte[] hex(String text) {
        StringBuilder digits = new StringBuilder();
        for (String line : text.split("\n")) {
            int comment = line.indexOf("//");
            String data = comment >= 0 ? line.substring(0, comment) : line;
            for (char c : data.toCharArray()) {
                if (Character.digit(c, 16) >= 0) {
                    digits.append(c);
                } else if (!Character.isWhitespace(c)) {
                    throw new IllegalArgumentException("not hex: '" + c + "' in " + line);
                }
            }
        }
        if (digits.length() % 2 != 0) {
            throw new IllegalArgumentException("odd number of hex digits");
        }
        byte[] out = new byte[digits.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(digits.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    /** A request the way Chrome sends its ICE checks to a lite server (controlling, nominating). */
    public static byte[] browserLikeRequest(byte[] transactionId, String localUfrag, String remoteUfrag,
            String localPassword) {
        return new Builder(BINDING_REQUEST, transactionId)
                .username(localUfrag + ":" + remoteUfrag)
                .attribute(GOOG_NETWORK_INFO, new byte[] {0, 1, 0, 10})
                .iceControlling(0x1122334455667788L)
                .useCandidate()
                .priority(1853817087L)
                .integrity(localPassword)
                .fingerprint()
                .build();
    }

    /** Appends attributes in order; MESSAGE-INTEGRITY and FINGERPRINT are computed over what precedes them. */
    public static final class Builder {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        public Builder(int messageType, byte[] transactionId) {
            if (transactionId.length != 12) {
                throw new IllegalArgumentException("a transaction id is 12 bytes");
            }
            writeU16(messageType);
            writeU16(0); // length, filled in as attributes are added
            writeI32(MAGIC_COOKIE);
            out.writeBytes(transactionId);
        }

        public Builder attribute(int type, byte[] value) {
            writeU16(type);
            writeU16(value.length);
            out.writeBytes(value);
            for (int pad = value.length; pad % 4 != 0; pad++) {
                out.write(0);
            }
            return this;
        }

        public Builder username(String username) {
            return attribute(USERNAME, username.getBytes(UTF_8));
        }

        public Builder priority(long priority) {
            return attribute(PRIORITY, int32(priority));
        }

        public Builder iceControlling(long tieBreaker) {
            return attribute(ICE_CONTROLLING, int64(tieBreaker));
        }

        public Builder useCandidate() {
            return attribute(USE_CANDIDATE, new byte[0]);
        }

        /** RFC 8489 section 14.5: the length field counts up to the end of MESSAGE-INTEGRITY while hashing. */
        public Builder integrity(String password) {
            byte[] soFar = withLength(out.toByteArray(), out.size() - 20 + 24);
            return attribute(MESSAGE_INTEGRITY, hmacSha1(password.getBytes(UTF_8), soFar, soFar.length));
        }

        /** RFC 8489 section 14.7: CRC-32 of everything before it, length field including it, XOR "STUN". */
        public Builder fingerprint() {
            byte[] soFar = withLength(out.toByteArray(), out.size() - 20 + 8);
            return attribute(FINGERPRINT, int32(crc32(soFar, soFar.length) ^ 0x5354554EL));
        }

        public byte[] build() {
            return withLength(out.toByteArray(), out.size() - 20);
        }

        private void writeU16(int v) {
            out.write(v >>> 8);
            out.write(v);
        }

        private void writeI32(int v) {
            writeU16(v >>> 16);
            writeU16(v & 0xFFFF);
        }
    }

    public static int messageType(byte[] msg) {
        return u16(msg, 0);
    }

    public static byte[] transactionId(byte[] msg) {
        return Arrays.copyOfRange(msg, 8, 20);
    }

    /** Offset of the first attribute of {@code type}, or -1; trusts the layout (it is a test helper). */
    public static int attributeOffset(byte[] msg, int type) {
        int end = 20 + u16(msg, 2);
        for (int pos = 20; pos + 4 <= end; pos += 4 + ((u16(msg, pos + 2) + 3) & ~3)) {
            if (u16(msg, pos) == type) {
                return pos;
            }
        }
        return -1;
    }

    /** The value of the first attribute of {@code type}, or null. */
    public static byte[] attributeValue(byte[] msg, int type) {
        int pos = attributeOffset(msg, type);
        return pos < 0 ? null : Arrays.copyOfRange(msg, pos + 4, pos + 4 + u16(msg, pos + 2));
    }

    /** RFC 8489 section 14.2: port XOR the cookie's top 16 bits, address XOR cookie (+ transaction id for IPv6). */
    public static InetSocketAddress xorMappedAddress(byte[] msg) throws UnknownHostException {
        byte[] value = attributeValue(msg, XOR_MAPPED_ADDRESS);
        if (value == null) {
            return null;
        }
        int family = value[1];
        int port = u16(value, 2) ^ (MAGIC_COOKIE >>> 16);
        byte[] mask = new byte[16];
        System.arraycopy(int32(MAGIC_COOKIE), 0, mask, 0, 4);
        System.arraycopy(msg, 8, mask, 4, 12);
        byte[] address = new byte[family == 1 ? 4 : 16];
        for (int i = 0; i < address.length; i++) {
            address[i] = (byte) (value[4 + i] ^ mask[i]);
        }
        return new InetSocketAddress(InetAddress.getByAddress(address), port);
    }

    /** Checks MESSAGE-INTEGRITY the way the RFC says, on a copy with the length field rewritten. */
    public static boolean integrityValid(byte[] msg, String password) {
        int pos = attributeOffset(msg, MESSAGE_INTEGRITY);
        if (pos < 0) {
            return false;
        }
        byte[] covered = withLength(Arrays.copyOf(msg, pos), pos + 24 - 20);
        byte[] expected = hmacSha1(password.getBytes(UTF_8), covered, covered.length);
        return MessageDigest.isEqual(expected, Arrays.copyOfRange(msg, pos + 4, pos + 24));
    }

    public static boolean fingerprintValid(byte[] msg) {
        int pos = attributeOffset(msg, FINGERPRINT);
        if (pos < 0) {
            return false;
        }
        long expected = (crc32(msg, pos) ^ 0x5354554EL) & 0xFFFFFFFFL;
        return expected == (i32(msg, pos + 4) & 0xFFFFFFFFL);
    }

    /** ERROR-CODE as class * 100 + number (RFC 8489 section 14.8), or -1 if absent. */
    public static int errorCode(byte[] msg) {
        byte[] value = attributeValue(msg, ERROR_CODE);
        return value == null ? -1 : (value[2] & 0x07) * 100 + (value[3] & 0xFF);
    }

    /** ERROR-CODE's reason phrase, or null if absent. */
    public static String errorReason(byte[] msg) {
        byte[] value = attributeValue(msg, ERROR_CODE);
        return value == null ? null : new String(value, 4, value.length - 4, UTF_8);
    }

    static byte[] hmacSha1(byte[] key, byte[] data, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            mac.update(data, 0, length);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static long crc32(byte[] data, int length) {
        CRC32 crc = new CRC32();
        crc.update(data, 0, length);
        return crc.getValue();
    }

    private static byte[] withLength(byte[] msg, int length) {
        msg[2] = (byte) (length >>> 8);
        msg[3] = (byte) length;
        return msg;
    }

    private static byte[] int32(long v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    private static byte[] int64(long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (56 - 8 * i));
        }
        return b;
    }

    private static int u16(byte[] b, int i) {
        return ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
    }

    private static int i32(byte[] b, int i) {
        return (b[i] << 24) | ((b[i + 1] & 0xFF) << 16) | ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
    }
}
