package io.sfufleet.sfu.ice;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.ice4j.StunException;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.AttributeFactory;
import org.ice4j.attribute.ErrorCodeAttribute;
import org.ice4j.attribute.PriorityAttribute;
import org.ice4j.attribute.UsernameAttribute;
import org.ice4j.message.Message;
import org.ice4j.message.MessageFactory;
import org.ice4j.message.Request;
import org.ice4j.message.Response;
import org.ice4j.security.CredentialsAuthority;
import org.ice4j.stack.StunStack;

/**
 * The server half of ICE-lite (RFC 8445 section 2.5), the way mediasoup and Janus do it: the node
 * has host candidates only, never sends checks, and answers the Binding requests browsers send
 * to its one UDP port. A request that authenticates tells the caller which session (local ufrag)
 * it belongs to and from which address the peer reaches us; whether the pair is nominated
 * (USE-CANDIDATE) is the caller's business.
 *
 * <p>Sans-IO: bytes in, an outcome with the bytes to send out. Thread-confined to the media loop
 * that owns the socket (it keeps a {@link Mac}, a {@link CRC32} and scratch space), never blocks,
 * and never throws: every input becomes a counted {@link StunOutcome.Kind}.
 *
 * <p>ice4j is used as a codec only: {@link Message#decode} for the attributes and
 * {@link Message#encode} through a {@link StunStack} whose only role is to hand the HMAC key to
 * {@code MessageIntegrityAttribute}. A {@code StunStack} opens no socket and starts no thread
 * until a socket is added or a transaction created, and neither happens here; no Agent, so no
 * harvester and no cloud-metadata probe.
 *
 * <p>The header, the attribute layout and FINGERPRINT are checked here, before ice4j and without
 * allocating, so garbage is dropped before it reaches the decoder; MESSAGE-INTEGRITY is checked
 * here too, on the caller's bytes with a reused {@link Mac}. ice4j's decoder only reads messages
 * that start at offset 0 correctly, so others are copied to a scratch buffer first.
 */
public final class IceLiteResponder {
    /** Maps one of our (local) ufrags to its password; null when the ufrag is not ours (any more). */
    @FunctionalInterface
    public interface PasswordLookup {
        String localPassword(String localUfrag);
    }

    private static final System.Logger LOG = System.getLogger(IceLiteResponder.class.getName());

    private static final int HEADER_LENGTH = 20;
    private static final int MAGIC_COOKIE = 0x2112A442;
    private static final int METHOD_MASK = 0x3EEF;
    private static final int CLASS_MASK = 0x0110;
    private static final int METHOD_BINDING = 0x0001;
    private static final int CLASS_REQUEST = 0x0000;
    private static final int CLASS_INDICATION = 0x0010;
    private static final int ATTR_MESSAGE_INTEGRITY = 0x0008;
    private static final int ATTR_FINGERPRINT = 0x8028;
    private static final int HMAC_SHA1_LENGTH = 20;
    /** RFC 8489 section 14.7: the CRC-32 is XORed with "STUN" so it cannot be mistaken for another protocol's. */
    private static final int FINGERPRINT_XOR = 0x5354554E;
    /**
     * Our SOFTWARE attribute (RFC 8489 section 14.14). Set explicitly because ice4j otherwise adds
     * its configured default, "ice4j.org", to everything it encodes.
     */
    static final String SOFTWARE = "sfu-fleet";
    private static final byte[] SOFTWARE_BYTES = SOFTWARE.getBytes(UTF_8);

    private final PasswordLookup passwords;
    private final StunStack codec = new StunStack();
    private final Mac hmac;
    private final byte[] computedHmac = new byte[HMAC_SHA1_LENGTH];
    private final CRC32 crc = new CRC32();
    /** Single writer (this thread), any reader: written with opaque stores, read with opaque loads. */
    private final AtomicLongArray counts = new AtomicLongArray(StunOutcome.Kind.values().length);
    /** Where a message that does not start at offset 0 is copied before ice4j decodes it. */
    private byte[] scratch = new byte[0];
    /** The key for the success response being encoded; set only around {@link Message#encode}. */
    private byte[] responseKey;
    /** Byte offset (from message start) of the first MESSAGE-INTEGRITY, found by {@link #checkLayout}. */
    private int integrityOffset;

    public IceLiteResponder(PasswordLookup passwords) {
        this.passwords = Objects.requireNonNull(passwords, "passwords");
        codec.getCredentialsManager().registerAuthority(new ResponseKeyAuthority());
        try {
            this.hmac = Mac.getInstance("HmacSHA1");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is required on every Java platform", e);
        }
        warmUp();
    }

    /**
     * ice4j reads its Typesafe/Kotlin configuration (AgentConfig, for the SOFTWARE default) the
     * first time it encodes a message: about half a second of class loading. Pay it here, where a
     * responder is built at start-up, instead of on the media loop at the first browser's check.
     * AgentConfig is configuration only; it starts no harvester and probes no metadata service.
     */
    private void warmUp() {
        try {
            Response response = MessageFactory.createBindingErrorResponse(ErrorCodeAttribute.BAD_REQUEST, "warm-up");
            response.setTransactionID(new byte[Message.TRANSACTION_ID_LENGTH]);
            response.encode(codec);
        } catch (StunException | RuntimeException e) {
            throw new IllegalStateException("ice4j cannot encode a STUN message", e);
        }
    }

    /**
     * Handles one datagram that arrived on the media port from {@code from}. Never throws; see
     * {@link StunOutcome.Kind} for what can come out. When the outcome has a response, send it to
     * {@code from} from the port the request arrived on.
     */
    public StunOutcome process(byte[] buf, int off, int len, InetSocketAddress from) {
        StunOutcome outcome;
        try {
            outcome = handle(buf, off, len, from);
        } catch (RuntimeException | StunException e) {
            outcome = internalError(from, e);
        }
        int k = outcome.kind().ordinal();
        counts.setOpaque(k, counts.getOpaque(k) + 1);
        return outcome;
    }

    /** How many datagrams ended with {@code kind} since this responder was made; any thread may ask. */
    public long count(StunOutcome.Kind kind) {
        return counts.getOpaque(kind.ordinal());
    }

    private StunOutcome handle(byte[] buf, int off, int len, InetSocketAddress from) throws StunException {
        if (buf == null || off < 0 || len < 0 || off > buf.length - len || from == null || from.isUnresolved()) {
            return misuse(buf, off, len, from);
        }
        // RFC 8489 section 6: two zero bits, a length that is a multiple of 4 and covers exactly
        // the rest of the datagram, and the magic cookie. Without the cookie it would be RFC 3489
        // STUN, which ICE does not use.
        if (len < HEADER_LENGTH) {
            return drop(StunOutcome.MALFORMED, from, "shorter than a STUN header");
        }
        int type = u16(buf, off);
        int bodyLength = u16(buf, off + 2);
        if ((type & 0xC000) != 0 || (bodyLength & 3) != 0 || bodyLength != len - HEADER_LENGTH
                || i32(buf, off + 4) != MAGIC_COOKIE) {
            return drop(StunOutcome.MALFORMED, from, "bad STUN header");
        }
        if ((type & METHOD_MASK) != METHOD_BINDING) {
            return drop(StunOutcome.NOT_BINDING, from, "method is not Binding");
        }
        int messageClass = type & CLASS_MASK;
        if (messageClass != CLASS_REQUEST && messageClass != CLASS_INDICATION) {
            return drop(StunOutcome.RESPONSE, from, "unsolicited Binding response");
        }
        StunOutcome layout = checkLayout(buf, off, len, from);
        if (layout != null) {
            return layout;
        }

        Message message;
        try {
            message = Message.decode(startingAtZero(buf, off, len), 0, len);
        } catch (StunException | RuntimeException e) {
            if (LOG.isLoggable(Level.DEBUG)) {
                LOG.log(Level.DEBUG, "STUN datagram from {0} dropped (undecodable): {1}", from, e.toString());
            }
            return StunOutcome.MALFORMED;
        }
        if (messageClass == CLASS_INDICATION) {
            return StunOutcome.INDICATION;
        }
        Request request = (Request) message;

        // RFC 8489 section 9.1.3 (short-term credentials), in its order: 400 without USERNAME or
        // MESSAGE-INTEGRITY, 401 for a username we did not issue or an integrity that does not match.
        // Attributes after MESSAGE-INTEGRITY are not covered by it and ice4j ignores them, so a
        // USERNAME placed there counts as missing.
        UsernameAttribute usernameAttribute = (UsernameAttribute) request.getAttribute(Attribute.USERNAME);
        if (usernameAttribute == null || integrityOffset < 0) {
            return reject(request, ErrorCodeAttribute.BAD_REQUEST, from, "USERNAME or MESSAGE-INTEGRITY missing");
        }
        if (u16(buf, off + integrityOffset + 2) != HMAC_SHA1_LENGTH) {
            return reject(request, ErrorCodeAttribute.BAD_REQUEST, from, "MESSAGE-INTEGRITY is not 20 bytes");
        }
        // ICE usernames are "receiver's ufrag:sender's ufrag" (RFC 8445 section 7.2.2), so ours comes first.
        String username = new String(usernameAttribute.getUsername(), UTF_8);
        int colon = username.indexOf(':');
        if (colon <= 0 || colon == username.length() - 1) {
            return reject(request, ErrorCodeAttribute.UNAUTHORIZED, from, "USERNAME is not ufrag:ufrag");
        }
        String localUfrag = username.substring(0, colon);
        String password = passwords.localPassword(localUfrag);
        if (password == null || password.isEmpty()) {
            return reject(request, ErrorCodeAttribute.UNAUTHORIZED, from, "unknown local ufrag");
        }
        // Short-term key = SASLprep(password); ICE passwords are ASCII ice-chars, for which SASLprep is the identity.
        byte[] key = password.getBytes(UTF_8);
        if (!integrityMatches(buf, off, key)) {
            return reject(request, ErrorCodeAttribute.UNAUTHORIZED, from, "MESSAGE-INTEGRITY mismatch");
        }

        PriorityAttribute priority = (PriorityAttribute) request.getAttribute(Attribute.PRIORITY);
        byte[] response = successResponse(request, from, localUfrag, key);
        return new StunOutcome(
                StunOutcome.Kind.RESPONDED,
                response,
                localUfrag,
                username.substring(colon + 1),
                request.containsAttribute(Attribute.USE_CANDIDATE),
                priority == null ? StunOutcome.NO_PRIORITY : priority.getPriority(),
                request.containsAttribute(Attribute.ICE_CONTROLLING));
    }

    /**
     * Walks the attribute TLVs: each must fit inside the message, padded to 4 bytes. Remembers the
     * first MESSAGE-INTEGRITY in {@link #integrityOffset} and checks a trailing FINGERPRINT (RFC 8489
     * section 14.7: it is always last). Returns null when the layout is sound.
     */
    private StunOutcome checkLayout(byte[] buf, int off, int len, InetSocketAddress from) {
        integrityOffset = -1;
        int pos = HEADER_LENGTH;
        int lastType = -1;
        int lastPos = -1;
        while (pos < len) {
            if (len - pos < 4) {
                return drop(StunOutcome.MALFORMED, from, "truncated attribute header");
            }
            int attrType = u16(buf, off + pos);
            int attrLength = u16(buf, off + pos + 2);
            int next = pos + 4 + ((attrLength + 3) & ~3);
            if (next > len) {
                return drop(StunOutcome.MALFORMED, from, "attribute overruns the message");
            }
            if (attrType == ATTR_MESSAGE_INTEGRITY && integrityOffset < 0) {
                integrityOffset = pos;
            }
            lastType = attrType;
            lastPos = pos;
            pos = next;
        }
        if (lastType == ATTR_FINGERPRINT) {
            if (u16(buf, off + lastPos + 2) != 4) {
                return drop(StunOutcome.MALFORMED, from, "FINGERPRINT is not 4 bytes");
            }
            crc.reset();
            crc.update(buf, off, lastPos);
            if (((int) crc.getValue() ^ FINGERPRINT_XOR) != i32(buf, off + lastPos + 4)) {
                return drop(StunOutcome.BAD_FINGERPRINT, from, "FINGERPRINT mismatch");
            }
        }
        return null;
    }

    /**
     * RFC 8489 section 14.5: HMAC-SHA1 over the message up to the MESSAGE-INTEGRITY attribute, with
     * the header's length field rewritten to end just after it (so a FINGERPRINT added later does
     * not count). The length is fed to the MAC instead of patched into the caller's buffer.
     */
    private boolean integrityMatches(byte[] buf, int off, byte[] key) {
        try {
            hmac.init(new SecretKeySpec(key, "HmacSHA1"));
            int lengthUpToIntegrity = integrityOffset + 4 + HMAC_SHA1_LENGTH - HEADER_LENGTH;
            hmac.update(buf, off, 2);
            hmac.update((byte) (lengthUpToIntegrity >>> 8));
            hmac.update((byte) lengthUpToIntegrity);
            hmac.update(buf, off + 4, integrityOffset - 4);
            hmac.doFinal(computedHmac, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA1 failed", e);
        }
        // Compare every byte whatever the first difference, so timing does not leak a prefix.
        int valueAt = off + integrityOffset + 4;
        int difference = 0;
        for (int i = 0; i < HMAC_SHA1_LENGTH; i++) {
            difference |= computedHmac[i] ^ buf[valueAt + i];
        }
        return difference == 0;
    }

    /** Binding success: XOR-MAPPED-ADDRESS of the sender, MESSAGE-INTEGRITY with our password, FINGERPRINT. */
    private byte[] successResponse(Request request, InetSocketAddress from, String localUfrag, byte[] key)
            throws StunException {
        TransportAddress mapped = new TransportAddress(from.getAddress(), from.getPort(), Transport.UDP);
        Response response = MessageFactory.createBindingResponse(request, mapped);
        response.setTransactionID(request.getTransactionID());
        response.putAttribute(AttributeFactory.createSoftwareAttribute(SOFTWARE_BYTES));
        response.putAttribute(AttributeFactory.createMessageIntegrityAttribute(localUfrag));
        response.putAttribute(AttributeFactory.createFingerprintAttribute());
        responseKey = key;
        try {
            return response.encode(codec);
        } finally {
            responseKey = null;
        }
    }

    /**
     * An error response carries no MESSAGE-INTEGRITY (RFC 8489 section 9.1.3: we could not agree on
     * a key) but does carry FINGERPRINT, which ICE requires on every STUN message (RFC 8445 section 7).
     */
    private StunOutcome reject(Request request, char errorCode, InetSocketAddress from, String reason)
            throws StunException {
        // RFC 8489's short reason phrases keep an error answer at 64 bytes. ice4j's default phrases
        // run to 80 bytes, which would answer a bare 20-byte header with 6 times as much: a better
        // gift to anyone reflecting traffic off us with spoofed sources.
        String phrase = errorCode == ErrorCodeAttribute.UNAUTHORIZED ? "Unauthorized" : "Bad Request";
        Response response = MessageFactory.createBindingErrorResponse(errorCode, phrase);
        response.setTransactionID(request.getTransactionID());
        response.putAttribute(AttributeFactory.createSoftwareAttribute(SOFTWARE_BYTES));
        response.putAttribute(AttributeFactory.createFingerprintAttribute());
        StunOutcome.Kind kind = errorCode == ErrorCodeAttribute.UNAUTHORIZED
                ? StunOutcome.Kind.REJECTED_UNAUTHORIZED
                : StunOutcome.Kind.REJECTED_BAD_REQUEST;
        if (LOG.isLoggable(Level.DEBUG)) {
            LOG.log(Level.DEBUG, "STUN Binding request from {0} rejected with {1}: {2}", from, (int) errorCode, reason);
        }
        return StunOutcome.rejected(kind, response.encode(codec));
    }

    private byte[] startingAtZero(byte[] buf, int off, int len) {
        if (off == 0) {
            return buf;
        }
        if (scratch.length < len) {
            scratch = new byte[Math.max(len, 2 * scratch.length)];
        }
        System.arraycopy(buf, off, scratch, 0, len);
        return scratch;
    }

    private static StunOutcome drop(StunOutcome outcome, InetSocketAddress from, String reason) {
        if (LOG.isLoggable(Level.DEBUG)) {
            LOG.log(Level.DEBUG, "STUN datagram from {0} dropped ({1}): {2}", from, outcome.kind(), reason);
        }
        return outcome;
    }

    private StunOutcome misuse(byte[] buf, int off, int len, InetSocketAddress from) {
        // A caller bug, not hostile input; loud the first time, quiet afterwards so it cannot flood the log.
        Level level = count(StunOutcome.Kind.DROPPED_INTERNAL_ERROR) == 0 ? Level.WARNING : Level.DEBUG;
        LOG.log(level, "IceLiteResponder.process called with buf={0} off={1} len={2} from={3}; dropped",
                buf == null ? "null" : "byte[" + buf.length + "]", off, len, from);
        return StunOutcome.INTERNAL_ERROR;
    }

    private StunOutcome internalError(InetSocketAddress from, Exception e) {
        Level level = count(StunOutcome.Kind.DROPPED_INTERNAL_ERROR) == 0 ? Level.WARNING : Level.DEBUG;
        LOG.log(level, "STUN datagram from " + from + " dropped after an internal error", e);
        return StunOutcome.INTERNAL_ERROR;
    }

    private static int u16(byte[] b, int i) {
        return ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
    }

    private static int i32(byte[] b, int i) {
        return (b[i] << 24) | ((b[i + 1] & 0xFF) << 16) | ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
    }

    /**
     * Gives ice4j's {@code MessageIntegrityAttribute} the key for the response being encoded. ice4j
     * asks by username; the answer was already looked up and checked for this request, so it is
     * handed over directly instead of being looked up again (the session could be gone by now).
     */
    private final class ResponseKeyAuthority implements CredentialsAuthority {
        @Override
        public byte[] getLocalKey(String username) {
            return responseKey;
        }

        @Override
        public byte[] getRemoteKey(String username, String media) {
            return null; // ICE-lite never sends requests, so it never signs with the peer's password.
        }

        @Override
        public boolean checkLocalUserName(String username) {
            return responseKey != null;
        }
    }
}
