package io.sfufleet.sfu.ice;

import java.security.SecureRandom;

/**
 * The ICE username fragment and password one side puts in its SDP ({@code a=ice-ufrag},
 * {@code a=ice-pwd}). The password is the short-term key for MESSAGE-INTEGRITY, so
 * {@link #toString()} leaves it out: credentials end up in log lines more often than one thinks.
 *
 * @param ufrag    4 to 256 ice-chars (RFC 8839 section 5.4)
 * @param password 22 to 256 ice-chars, which also makes it at least 128 bits of entropy
 */
public record IceCredentials(String ufrag, String password) {
    /** RFC 8839's {@code ice-char}: ALPHA / DIGIT / "+" / "/". */
    static final String ICE_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    /** What {@link #random()} makes: longer than the minimum 4, short enough to keep STUN small. */
    public static final int RANDOM_UFRAG_LENGTH = 8;
    /** 24 of 64 symbols is 144 bits, over RFC 8445's 128-bit floor. */
    public static final int RANDOM_PASSWORD_LENGTH = 24;

    private static final SecureRandom RANDOM = new SecureRandom();

    public IceCredentials {
        check("ufrag", ufrag, 4, 256);
        check("password", password, 22, 256);
    }

    /** Fresh credentials for one ICE session, from a {@link SecureRandom}. */
    public static IceCredentials random() {
        return new IceCredentials(randomIceString(RANDOM_UFRAG_LENGTH), randomIceString(RANDOM_PASSWORD_LENGTH));
    }

    @Override
    public String toString() {
        return "IceCredentials[ufrag=" + ufrag + ", password=(" + password.length() + " chars)]";
    }

    private static String randomIceString(int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = ICE_CHARS.charAt(RANDOM.nextInt(ICE_CHARS.length()));
        }
        return new String(chars);
    }

    private static void check(String name, String value, int min, int max) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (value.length() < min || value.length() > max) {
            throw new IllegalArgumentException(
                    name + " must be " + min + " to " + max + " ice-chars long, was " + value.length());
        }
        for (int i = 0; i < value.length(); i++) {
            if (ICE_CHARS.indexOf(value.charAt(i)) < 0) {
                // Do not echo the value: it may be a password.
                throw new IllegalArgumentException(
                        name + " may only hold ice-chars [A-Za-z0-9+/]; character " + i + " is not one");
            }
        }
    }
}
