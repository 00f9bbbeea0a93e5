package io.sfufleet.sfu.auth;

import com.nimbusds.jose.Header;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.sfufleet.sfu.auth.TokenRejected.Reason;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Mints and verifies join tokens: JWTs signed with HS256 under the node's join secret (the UTF-8
 * bytes of {@code auth.join_token_secret}, or 32 random bytes when that is empty). Sans-IO: it
 * takes a string and a clock and returns a {@link JoinGrant} or a {@link TokenRejected} with the
 * reason; thread-safe.
 *
 * <p>Claims: {@code call} (a call id or {@code "*"}), {@code sub} (the display name, 1 to 64
 * characters), {@code perms} (array of {@link Permission#claim()} names; unknown names are
 * ignored), {@code exp} (required); {@code nbf}, {@code iat} and {@code iss} optional.
 * {@code exp} and {@code nbf} are allowed {@link #CLOCK_SKEW} of difference between clocks.
 *
 * <p>Only {@code alg: HS256} is accepted: the header is read and checked before anything else,
 * so {@code none}, other HMAC sizes and public-key algorithms never reach a verifier. The MAC is
 * compared in constant time (nimbus-jose-jwt's {@code MACVerifier} uses
 * {@code ConstantTimeUtils.areEqual}); the claims are read only once the signature matched.
 */
public final class JoinTokens {
    /** Difference between the minting and the verifying clock tolerated for {@code exp} and {@code nbf}. */
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(30);
    /** The shortest secret HS256 takes (RFC 7518 3.2: a key at least as long as the hash). */
    public static final int MIN_SECRET_BYTES = 32;
    /** Longer tokens are refused unread; a real one is a few hundred characters. */
    public static final int MAX_TOKEN_CHARS = 8192;
    static final int MAX_SUBJECT_CHARS = 64;

    private final MACSigner signer;
    private final MACVerifier verifier;
    private final Clock clock;

    /**
     * @param secret the HMAC key, at least {@link #MIN_SECRET_BYTES} bytes
     * @param clock  the time {@code exp}, {@code nbf} and {@code iat} are read against
     */
    public JoinTokens(byte[] secret, Clock clock) {
        if (secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the join token secret must be at least " + MIN_SECRET_BYTES
                    + " bytes (256 bits) for HS256, got " + secret.length);
        }
        try {
            this.signer = new MACSigner(secret);
            this.verifier = new MACVerifier(secret);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("unusable join token secret: " + e.getMessage(), e);
        }
        this.clock = clock;
    }

    /**
     * The node's tokens for a configured secret: its UTF-8 bytes, or, when it is empty, 32 random
     * bytes that live as long as the process (then only this node's dev endpoint can mint).
     */
    public static JoinTokens forConfiguredSecret(String secret, Clock clock) {
        if (secret.isEmpty()) {
            byte[] random = new byte[MIN_SECRET_BYTES];
            new SecureRandom().nextBytes(random);
            return new JoinTokens(random, clock);
        }
        return new JoinTokens(secret.getBytes(StandardCharsets.UTF_8), clock);
    }

    /**
     * Checks {@code token} for a join of {@code callId}.
     *
     * @return what the token allows
     * @throws TokenRejected with the reason and a message for people
     */
    public JoinGrant verify(String token, String callId) throws TokenRejected {
        if (token == null || token.isEmpty()) {
            throw new TokenRejected(Reason.MISSING, "this node requires a join token (join.token)");
        }
        if (token.length() > MAX_TOKEN_CHARS) {
            throw new TokenRejected(Reason.MALFORMED, "the join token is longer than " + MAX_TOKEN_CHARS + " characters");
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw new TokenRejected(Reason.MALFORMED, "the join token is not a JWS in compact form"
                    + " (header.payload.signature): it has " + parts.length + " part" + (parts.length == 1 ? "" : "s"));
        }
        requireHs256(parts[0]);
        if (parts[2].isEmpty()) {
            throw new TokenRejected(Reason.BAD_SIGNATURE, "the join token is not signed (its signature part is empty)");
        }
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (ParseException e) {
            throw new TokenRejected(Reason.MALFORMED, "the join token cannot be read: " + e.getMessage());
        }
        boolean valid;
        try {
            valid = jwt.verify(verifier);
        } catch (JOSEException e) {
            throw new TokenRejected(Reason.BAD_SIGNATURE, "the join token's signature cannot be checked: " + e.getMessage());
        }
        if (!valid) {
            throw new TokenRejected(Reason.BAD_SIGNATURE,
                    "the join token's signature does not match: it was not signed with this node's join secret");
        }
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new TokenRejected(Reason.MALFORMED, "the join token's payload is not a JSON object of claims: "
                    + e.getMessage());
        }
        return grant(claims, callId);
    }

    private static void requireHs256(String encodedHeader) throws TokenRejected {
        Header header;
        try {
            header = Header.parse(new Base64URL(encodedHeader));
        } catch (ParseException e) {
            throw new TokenRejected(Reason.MALFORMED, "the join token's header cannot be read: " + e.getMessage());
        }
        String alg = header.getAlgorithm() == null ? "(none given)" : header.getAlgorithm().getName();
        if (!(header instanceof JWSHeader jws) || !JWSAlgorithm.HS256.equals(jws.getAlgorithm())) {
            throw new TokenRejected(Reason.UNSUPPORTED_ALGORITHM, "the join token's alg is " + alg
                    + "; this node accepts HS256 only");
        }
        if (jws.getCriticalParams() != null && !jws.getCriticalParams().isEmpty()) {
            throw new TokenRejected(Reason.MALFORMED, "the join token's header has critical parameters "
                    + jws.getCriticalParams() + " that this node does not understand");
        }
    }

    private JoinGrant grant(JWTClaimsSet claims, String callId) throws TokenRejected {
        Instant now = clock.instant();
        String call;
        String subject;
        List<String> perms;
        try {
            call = claims.getStringClaim("call");
            subject = claims.getSubject();
            perms = claims.getStringListClaim("perms");
        } catch (ParseException e) {
            throw new TokenRejected(Reason.MALFORMED, "the join token has a claim of the wrong type: " + e.getMessage());
        }
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw new TokenRejected(Reason.MALFORMED, "the join token has no exp (expiry) claim; it is required");
        }
        if (call == null || call.isEmpty()) {
            throw new TokenRejected(Reason.MALFORMED, "the join token has no call claim (a call id, or \"*\" for any)");
        }
        if (subject == null || subject.isBlank() || subject.length() > MAX_SUBJECT_CHARS) {
            throw new TokenRejected(Reason.MALFORMED, "the join token's sub claim must be the participant's name, 1 to "
                    + MAX_SUBJECT_CHARS + " characters");
        }
        if (perms == null) {
            throw new TokenRejected(Reason.MALFORMED, "the join token has no perms claim (an array, e.g."
                    + " [\"publish:audio\",\"publish:video\",\"subscribe\"])");
        }
        if (now.isAfter(exp.toInstant().plus(CLOCK_SKEW))) {
            throw new TokenRejected(Reason.EXPIRED, "the join token expired at " + exp.toInstant()
                    + " (the node's time is " + now + ")");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now.plus(CLOCK_SKEW).isBefore(nbf.toInstant())) {
            throw new TokenRejected(Reason.NOT_YET_VALID, "the join token is not valid before " + nbf.toInstant()
                    + " (the node's time is " + now + ")");
        }
        if (!call.equals(JoinGrant.ANY_CALL) && !call.equals(callId)) {
            throw new TokenRejected(Reason.WRONG_CALL, "the join token is for call \"" + call + "\", not \"" + callId + "\"");
        }
        Set<Permission> permissions = EnumSet.noneOf(Permission.class);
        for (String p : perms) {
            Permission.ofClaim(p).ifPresent(permissions::add);
        }
        return new JoinGrant(call, subject, permissions, exp.toInstant(), claims.getIssuer());
    }

    /**
     * A token for {@code call} (or {@link JoinGrant#ANY_CALL}) in the name {@code subject}, valid
     * from now for {@code ttl}.
     *
     * @param issuer the {@code iss} claim, or null for none
     */
    public String mint(String call, String subject, Set<Permission> permissions, Duration ttl, String issuer) {
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .claim("call", call)
                .subject(subject)
                .claim("perms", permissions.stream().sorted().map(Permission::claim).toList())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .issuer(issuer)
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("signing a join token failed", e);
        }
        return jwt.serialize();
    }
}
