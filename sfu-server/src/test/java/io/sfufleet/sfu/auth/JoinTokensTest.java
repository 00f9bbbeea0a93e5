package io.sfufleet.sfu.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sfufleet.sfu.auth.TokenRejected.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.EnumSet;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Join tokens against tokens built here by hand: header and payload written as JSON text, the
 * signature computed with the JDK's HMAC, independently of the library the node uses.
 */
class JoinTokensTest {
    private static final byte[] SECRET = "unit-test-join-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private static final long T = NOW.getEpochSecond();
    private static final String HS256 = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";

    private final JoinTokens tokens = new JoinTokens(SECRET, Clock.fixed(NOW, ZoneOffset.UTC));

    // ------------------------------------------------------------------------------ building tokens

    private static String b64(String json) {
        return b64(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] hmac(String jcaAlgorithm, byte[] key, String signingInput) {
        try {
            Mac mac = Mac.getInstance(jcaAlgorithm);
            mac.init(new SecretKeySpec(key, jcaAlgorithm));
            return mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    /** header.payload.HMAC-SHA-256(key, header.payload), all base64url without padding. */
    private static String token(String headerJson, String payloadJson, byte[] key) {
        String input = b64(headerJson) + "." + b64(payloadJson);
        return input + "." + b64(hmac("HmacSHA256", key, input));
    }

    private static String token(String payloadJson) {
        return token(HS256, payloadJson, SECRET);
    }

    /** A payload with every required claim; {@code extra} is spliced in before the closing brace. */
    private static String claims(String call, long exp, String extra) {
        return "{\"call\":\"" + call + "\",\"sub\":\"Alice\",\"perms\":[\"publish:audio\",\"subscribe\"],\"exp\":"
                + exp + extra + "}";
    }

    private TokenRejected rejected(String token, String callId) {
        return catchThrowableOfType(TokenRejected.class, () -> tokens.verify(token, callId));
    }

    private void assertRejected(String token, String callId, Reason reason, String... messageParts) {
        TokenRejected e = rejected(token, callId);
        assertThat(e).as("verify(%s, %s)", token, callId).isNotNull();
        assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
        if (messageParts.length > 0) {
            assertThat(e.getMessage()).contains(messageParts);
        }
    }

    // ------------------------------------------------------------------------------ known answers

    @Test
    void rfc7515AppendixA1TokenPassesTheSignatureCheck() throws Exception {
        // RFC 7515 A.1: HS256 over {"typ":"JWT",\r\n "alg":"HS256"} . {"iss":"joe",\r\n "exp":1300819380,...}
        byte[] key = Base64.getUrlDecoder().decode(
                "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow");
        String header = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9";
        String payload = "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ";
        String signature = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        assertThat(b64(hmac("HmacSHA256", key, header + "." + payload))).isEqualTo(signature);

        JoinTokens rfc = new JoinTokens(key, Clock.fixed(Instant.ofEpochSecond(1300819380 - 60), ZoneOffset.UTC));
        String jws = header + "." + payload + "." + signature;
        // The signature matches; what fails is the claims a join token needs.
        TokenRejected e = catchThrowableOfType(TokenRejected.class, () -> rfc.verify(jws, "c"));
        assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
        assertThat(e.getMessage()).contains("call");

        String flipped = header + "." + payload + ".eBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        assertThat(catchThrowableOfType(TokenRejected.class, () -> rfc.verify(flipped, "c")).reason())
                .isEqualTo(Reason.BAD_SIGNATURE);
    }

    @Test
    void aHandWrittenTokenVerifies() throws Exception {
        String payload = "{\"call\":\"standup\",\"sub\":\"Alice\",\"perms\":[\"publish:audio\",\"subscribe\","
                + "\"publish:hologram\"],\"iat\":" + (T - 10) + ",\"exp\":" + (T + 300) + ",\"iss\":\"meeting-app\"}";
        JoinGrant g = tokens.verify(token(payload), "standup");
        assertThat(g.call()).isEqualTo("standup");
        assertThat(g.subject()).isEqualTo("Alice");
        // an unknown permission is ignored, not an error
        assertThat(g.permissions()).containsExactlyInAnyOrder(Permission.PUBLISH_AUDIO, Permission.SUBSCRIBE);
        assertThat(g.expiresAt()).isEqualTo(Instant.ofEpochSecond(T + 300));
        assertThat(g.issuer()).isEqualTo("meeting-app");
    }

    @Test
    void aMintedTokenIsAPlainHs256JwtThatVerifies() throws Exception {
        String t = tokens.mint("standup", "Bob", EnumSet.allOf(Permission.class), Duration.ofMinutes(5), "dev");
        String[] parts = t.split("\\.");
        assertThat(parts).hasSize(3);
        assertThat(parts[2]).isEqualTo(b64(hmac("HmacSHA256", SECRET, parts[0] + "." + parts[1])));
        String header = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8);
        assertThat(header).contains("\"alg\":\"HS256\"");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        assertThat(payload).contains("\"call\":\"standup\"", "\"sub\":\"Bob\"", "\"exp\":" + (T + 300),
                "\"iat\":" + T, "\"iss\":\"dev\"",
                "\"perms\":[\"publish:audio\",\"publish:video\",\"publish:screen\",\"subscribe\"]");
        JoinGrant g = tokens.verify(t, "standup");
        assertThat(g.permissions()).isEqualTo(EnumSet.allOf(Permission.class));
        assertThat(g.subject()).isEqualTo("Bob");
    }

    @Test
    void aStarTokenAdmitsToAnyCall() throws Exception {
        String t = token(claims("*", T + 60, ""));
        assertThat(tokens.verify(t, "standup").call()).isEqualTo(JoinGrant.ANY_CALL);
        assertThat(tokens.verify(t, "retro").subject()).isEqualTo("Alice");
    }

    // ------------------------------------------------------------------------------ refusals

    @Test
    void aMissingTokenIsRefused() {
        assertRejected(null, "c", Reason.MISSING, "requires a join token");
        assertRejected("", "c", Reason.MISSING, "requires a join token");
    }

    @Test
    void aTokenForAnotherCallIsRefused() {
        assertRejected(token(claims("standup", T + 60, "")), "retro", Reason.WRONG_CALL,
                "for call \"standup\", not \"retro\"");
    }

    @Test
    void anExpiredTokenIsRefusedAfterTheAllowedSkew() throws Exception {
        long skew = JoinTokens.CLOCK_SKEW.toSeconds();
        assertRejected(token(claims("c", T - skew - 1, "")), "c", Reason.EXPIRED, "expired at",
                Instant.ofEpochSecond(T - skew - 1).toString());
        assertThat(tokens.verify(token(claims("c", T - skew + 1, "")), "c").subject()).isEqualTo("Alice");
    }

    @Test
    void aTokenNotYetValidIsRefusedBeyondTheAllowedSkew() throws Exception {
        long skew = JoinTokens.CLOCK_SKEW.toSeconds();
        assertRejected(token(claims("c", T + 600, ",\"nbf\":" + (T + skew + 1))), "c", Reason.NOT_YET_VALID,
                "not valid before");
        assertThat(tokens.verify(token(claims("c", T + 600, ",\"nbf\":" + (T + skew - 1))), "c")).isNotNull();
    }

    @Test
    void aWrongSignatureIsRefused() {
        byte[] other = "another-secret-that-is-long-enough-for-hs256".getBytes(StandardCharsets.UTF_8);
        String payload = claims("c", T + 60, "");
        assertRejected(token(HS256, payload, other), "c", Reason.BAD_SIGNATURE, "signature does not match");

        // The payload changed after signing: Alice's token made out to Mallory.
        String good = token(payload);
        String[] parts = good.split("\\.");
        String tampered = parts[0] + "." + b64(payload.replace("Alice", "Mallory")) + "." + parts[2];
        assertRejected(tampered, "c", Reason.BAD_SIGNATURE, "signature");
        // A signature differing in the first or in the last byte, truncated, or empty.
        byte[] sig = Base64.getUrlDecoder().decode(parts[2]);
        for (int at : new int[] {0, sig.length - 1}) {
            byte[] bad = sig.clone();
            bad[at] ^= 0x01;
            assertRejected(parts[0] + "." + parts[1] + "." + b64(bad), "c", Reason.BAD_SIGNATURE);
        }
        assertRejected(parts[0] + "." + parts[1] + "." + b64(java.util.Arrays.copyOf(sig, 16)), "c",
                Reason.BAD_SIGNATURE);
        assertRejected(parts[0] + "." + parts[1] + ".", "c", Reason.BAD_SIGNATURE, "not signed");
    }

    @Test
    void algNoneIsRefusedWithOrWithoutASignature() {
        String payload = claims("c", T + 60, "");
        String unsigned = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64(payload) + ".";
        assertRejected(unsigned, "c", Reason.UNSUPPORTED_ALGORITHM, "alg is none", "HS256 only");
        // Even with a valid HMAC appended, "none" is not HS256.
        assertRejected(token("{\"alg\":\"none\"}", payload, SECRET), "c", Reason.UNSUPPORTED_ALGORITHM, "none");
        assertRejected(token("{\"alg\":\"None\"}", payload, SECRET), "c", Reason.UNSUPPORTED_ALGORITHM, "None");
    }

    @Test
    void everyAlgorithmButHs256IsRefused() {
        String payload = claims("c", T + 60, "");
        // A correct HS512 signature under the same secret: still refused.
        String input = b64("{\"alg\":\"HS512\"}") + "." + b64(payload);
        assertRejected(input + "." + b64(hmac("HmacSHA512", SECRET, input)), "c", Reason.UNSUPPORTED_ALGORITHM,
                "HS512");
        assertRejected(token("{\"alg\":\"HS384\"}", payload, SECRET), "c", Reason.UNSUPPORTED_ALGORITHM, "HS384");
        assertRejected(token("{\"alg\":\"RS256\"}", payload, SECRET), "c", Reason.UNSUPPORTED_ALGORITHM, "RS256");
        assertRejected(token("{\"alg\":\"hs256\"}", payload, SECRET), "c", Reason.UNSUPPORTED_ALGORITHM, "hs256");
        assertRejected(token("{\"alg\":\"dir\",\"enc\":\"A128GCM\"}", payload, SECRET), "c",
                Reason.UNSUPPORTED_ALGORITHM, "dir");
        assertRejected(token("{\"typ\":\"JWT\"}", payload, SECRET), "c", Reason.MALFORMED, "header");
    }

    @Test
    void criticalHeaderParametersAreRefused() {
        assertRejected(token("{\"alg\":\"HS256\",\"crit\":[\"exp\"],\"exp\":1}", claims("c", T + 60, ""), SECRET),
                "c", Reason.MALFORMED, "critical");
    }

    @Test
    void malformedTokensAreRefusedWithTheProblem() {
        assertRejected("not-a-token", "c", Reason.MALFORMED, "compact form", "1 part");
        assertRejected("a.b", "c", Reason.MALFORMED, "2 parts");
        assertRejected("a.b.c.d.e", "c", Reason.MALFORMED, "5 parts");
        assertRejected("x".repeat(JoinTokens.MAX_TOKEN_CHARS + 1), "c", Reason.MALFORMED, "longer than");
        assertRejected(b64("not json") + "." + b64(claims("c", T + 60, "")) + ".c2ln", "c", Reason.MALFORMED,
                "header");
        assertRejected(token(HS256, "not json", SECRET), "c", Reason.MALFORMED, "payload");
        assertRejected(token(HS256, "[1,2]", SECRET), "c", Reason.MALFORMED, "payload");
    }

    @Test
    void missingOrMistypedClaimsAreRefused() {
        long exp = T + 60;
        assertRejected(token("{\"call\":\"c\",\"sub\":\"A\",\"perms\":[]}"), "c", Reason.MALFORMED, "exp");
        assertRejected(token("{\"sub\":\"A\",\"perms\":[],\"exp\":" + exp + "}"), "c", Reason.MALFORMED, "call");
        assertRejected(token("{\"call\":\"c\",\"perms\":[],\"exp\":" + exp + "}"), "c", Reason.MALFORMED, "sub");
        assertRejected(token("{\"call\":\"c\",\"sub\":\" \",\"perms\":[],\"exp\":" + exp + "}"), "c",
                Reason.MALFORMED, "sub");
        assertRejected(token("{\"call\":\"c\",\"sub\":\"" + "A".repeat(65) + "\",\"perms\":[],\"exp\":" + exp + "}"),
                "c", Reason.MALFORMED, "sub");
        assertRejected(token("{\"call\":\"c\",\"sub\":\"A\",\"exp\":" + exp + "}"), "c", Reason.MALFORMED, "perms");
        assertRejected(token("{\"call\":\"c\",\"sub\":\"A\",\"perms\":\"subscribe\",\"exp\":" + exp + "}"), "c",
                Reason.MALFORMED, "perms");
        assertRejected(token("{\"call\":\"c\",\"sub\":\"A\",\"perms\":[],\"exp\":\"tomorrow\"}"), "c",
                Reason.MALFORMED, "exp");
        assertRejected(token("{\"call\":7,\"sub\":\"A\",\"perms\":[],\"exp\":" + exp + "}"), "c", Reason.MALFORMED,
                "call");
    }

    @Test
    void anEmptyPermsArrayJoinsWithNoPermission() throws Exception {
        JoinGrant g = tokens.verify(token("{\"call\":\"c\",\"sub\":\"A\",\"perms\":[],\"exp\":" + (T + 60) + "}"), "c");
        assertThat(g.permissions()).isEmpty();
        assertThat(g.maySubscribe()).isFalse();
    }

    // ------------------------------------------------------------------------------ secrets

    @Test
    void aSecretShorterThan32BytesIsRefused() {
        assertThatThrownBy(() -> new JoinTokens(new byte[31], Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> JoinTokens.forConfiguredSecret("short", Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theConfiguredSecretIsUsedAsItsUtf8BytesAndAnEmptyOneIsRandom() throws Exception {
        String configured = "unit-test-join-secret-0123456789abcdef";
        JoinTokens fromConfig = JoinTokens.forConfiguredSecret(configured, Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(fromConfig.verify(token(claims("c", T + 60, "")), "c").subject()).isEqualTo("Alice");

        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        JoinTokens a = JoinTokens.forConfiguredSecret("", clock);
        JoinTokens b = JoinTokens.forConfiguredSecret("", clock);
        String fromA = a.mint("c", "A", EnumSet.of(Permission.SUBSCRIBE), Duration.ofMinutes(1), null);
        assertThat(a.verify(fromA, "c").subject()).isEqualTo("A");
        assertThat(catchThrowableOfType(TokenRejected.class, () -> b.verify(fromA, "c")).reason())
                .isEqualTo(Reason.BAD_SIGNATURE);
    }
}
