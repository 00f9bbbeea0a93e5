package io.sfufleet.sfu.loadtest.ice;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.ice4j.StunException;
import org.ice4j.attribute.AttributeFactory;
import org.ice4j.message.Message;
import org.ice4j.message.MessageFactory;
import org.ice4j.message.Request;
import org.ice4j.security.CredentialsAuthority;
import org.ice4j.stack.StunStack;

/**
 * Our connectivity checks against one peer (RFC 8445 sections 7.2.2 and 8.2.1). Against an ICE-lite
 * peer (the node) we are the controlling agent and nominate at once, as browsers do: every request
 * carries USERNAME "remote:local", PRIORITY, ICE-CONTROLLING, USE-CANDIDATE, MESSAGE-INTEGRITY
 * with the peer's password, and FINGERPRINT; as the controlled agent of a full peer (Janus, when it
 * offers) ICE-CONTROLLED instead and no USE-CANDIDATE; a response counts only if its transaction id is one
 * we sent and its MESSAGE-INTEGRITY verifies under that password.
 *
 * <p>Sans-IO: {@link #request()} gives the bytes to send, {@link #onResponse} judges bytes that came
 * back. ice4j is the encoder, through a {@link StunStack} that only supplies the HMAC key (it opens
 * no socket and starts no thread without an Agent, so no harvester runs). Confined to one thread at
 * a time (callers synchronize).
 */
public final class StunBindingClient {
    /** What a datagram that looked like STUN turned out to be. */
    public enum Outcome {
        /** A success response to one of our requests, integrity verified. */
        SUCCESS,
        /** An error response to one of our requests (wrong credentials, usually). */
        ERROR_RESPONSE,
        /** Not a response to any request we still remember, or not a response at all. */
        UNRELATED,
        /** A success response whose MESSAGE-INTEGRITY is missing or does not verify. */
        BAD_INTEGRITY,
        /** Not a well-formed STUN message. */
        MALFORMED
    }

    /** A host candidate's priority with local preference 65535 (RFC 8445 section 5.1.2.1), as Chrome's. */
    public static final long HOST_PRIORITY = 2130706431L;
    /** Transaction ids remembered: checks are resent every few tens of milliseconds, answers can come late. */
    private static final int REMEMBERED = 32;
    private static final int HEADER = 20;
    private static final int MAGIC_COOKIE = 0x2112A442;
    private static final int BINDING_SUCCESS = 0x0101;
    private static final int BINDING_ERROR = 0x0111;
    private static final int ATTR_MESSAGE_INTEGRITY = 0x0008;
    private static final int ATTR_FINGERPRINT = 0x8028;
    private static final int FINGERPRINT_XOR = 0x5354554E;
    private static final byte[] SOFTWARE = "sfu-fleet-loadtest".getBytes(UTF_8);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String username;
    private final boolean controlling;
    private final byte[] remoteKey;
    private final long tieBreaker = RANDOM.nextLong();
    private final StunStack codec = new StunStack();
    private final ArrayDeque<byte[]> outstanding = new ArrayDeque<>();
    private final Mac hmac;
    private final CRC32 crc = new CRC32();
    private long requestsSent;

    /**
     * @param remoteUfrag    the peer's {@code a=ice-ufrag}
     * @param remotePassword the peer's {@code a=ice-pwd}: the key of our requests and of its answers
     * @param localUfrag     our own {@code a=ice-ufrag}
     * @param controlling    whether we are the controlling agent (always against a lite peer; against
     *                       a full one, when we offered): controlled checks carry ICE-CONTROLLED and
     *                       no USE-CANDIDATE, and leave nomination to the peer
     */
    public StunBindingClient(String remoteUfrag, String remotePassword, String localUfrag, boolean controlling) {
        Objects.requireNonNull(remoteUfrag, "remoteUfrag");
        Objects.requireNonNull(localUfrag, "localUfrag");
        if (remotePassword == null || remotePassword.isEmpty()) {
            throw new IllegalArgumentException("the peer's ICE password is missing");
        }
        // RFC 8445 section 7.2.2: the receiver's ufrag first.
        this.username = remoteUfrag + ":" + localUfrag;
        this.controlling = controlling;
        this.remoteKey = remotePassword.getBytes(UTF_8);
        codec.getCredentialsManager().registerAuthority(new CredentialsAuthority() {
            @Override
            public byte[] getLocalKey(String user) {
                return null; // we answer no requests
            }

            @Override
            public byte[] getRemoteKey(String user, String media) {
                return remoteKey;
            }

            @Override
            public boolean checkLocalUserName(String user) {
                return false;
            }
        });
        try {
            hmac = Mac.getInstance("HmacSHA1");
            hmac.init(new SecretKeySpec(remoteKey, "HmacSHA1"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is required on every Java platform", e);
        }
    }

    /** A Binding request (nominating, when controlling); its transaction id is remembered for {@link #onResponse}. */
    public byte[] request() {
        try {
            Request request = MessageFactory.createBindingRequest();
            byte[] tid = new byte[Message.TRANSACTION_ID_LENGTH];
            RANDOM.nextBytes(tid);
            request.setTransactionID(tid);
            request.putAttribute(AttributeFactory.createUsernameAttribute(username));
            request.putAttribute(AttributeFactory.createSoftwareAttribute(SOFTWARE));
            request.putAttribute(AttributeFactory.createPriorityAttribute(HOST_PRIORITY));
            if (controlling) {
                request.putAttribute(AttributeFactory.createIceControllingAttribute(tieBreaker));
                request.putAttribute(AttributeFactory.createUseCandidateAttribute());
            } else {
                request.putAttribute(AttributeFactory.createIceControlledAttribute(tieBreaker));
            }
            request.putAttribute(AttributeFactory.createMessageIntegrityAttribute(username));
            request.putAttribute(AttributeFactory.createFingerprintAttribute());
            byte[] bytes = request.encode(codec);
            if (outstanding.size() == REMEMBERED) {
                outstanding.removeFirst();
            }
            outstanding.addLast(tid);
            requestsSent++;
            return bytes;
        } catch (StunException e) {
            throw new IllegalStateException("ice4j could not encode a Binding request", e);
        }
    }

    public long requestsSent() {
        return requestsSent;
    }

    /** Judges a datagram from the peer whose first byte says STUN (0 to 3, RFC 7983). */
    public Outcome onResponse(byte[] buf, int off, int len) {
        if (len < HEADER || (len - HEADER) != u16(buf, off + 2) || i32(buf, off + 4) != MAGIC_COOKIE) {
            return Outcome.MALFORMED;
        }
        int type = u16(buf, off);
        if (type != BINDING_SUCCESS && type != BINDING_ERROR) {
            return Outcome.UNRELATED;
        }
        byte[] tid = Arrays.copyOfRange(buf, off + 8, off + HEADER);
        boolean ours = outstanding.removeIf(t -> MessageDigest.isEqual(t, tid));
        if (!ours) {
            return Outcome.UNRELATED;
        }
        if (type == BINDING_ERROR) {
            return Outcome.ERROR_RESPONSE;
        }
        return integrityVerifies(buf, off, len) ? Outcome.SUCCESS : Outcome.BAD_INTEGRITY;
    }

    /**
     * RFC 8489 section 14.5: HMAC-SHA1 over the message up to MESSAGE-INTEGRITY with the length field
     * counting to its end; section 14.7: a FINGERPRINT, if last, must match too.
     */
    private boolean integrityVerifies(byte[] buf, int off, int len) {
        int pos = HEADER;
        int integrityAt = -1;
        while (pos + 4 <= len) {
            int type = u16(buf, off + pos);
            int length = u16(buf, off + pos + 2);
            int next = pos + 4 + ((length + 3) & ~3);
            if (next > len) {
                return false;
            }
            if (type == ATTR_MESSAGE_INTEGRITY && integrityAt < 0) {
                if (length != 20) {
                    return false;
                }
                integrityAt = pos;
            }
            if (type == ATTR_FINGERPRINT && next == len) {
                crc.reset();
                crc.update(buf, off, pos);
                if (((int) crc.getValue() ^ FINGERPRINT_XOR) != i32(buf, off + pos + 4)) {
                    return false;
                }
            }
            pos = next;
        }
        if (integrityAt < 0) {
            return false;
        }
        int covered = integrityAt + 4 + 20 - HEADER;
        hmac.update(buf, off, 2);
        hmac.update((byte) (covered >>> 8));
        hmac.update((byte) covered);
        hmac.update(buf, off + 4, integrityAt - 4);
        byte[] expected = hmac.doFinal();
        return MessageDigest.isEqual(expected, Arrays.copyOfRange(buf, off + integrityAt + 4, off + integrityAt + 24));
    }

    private static int u16(byte[] b, int i) {
        return ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
    }

    private static int i32(byte[] b, int i) {
        return (b[i] << 24) | ((b[i + 1] & 0xFF) << 16) | ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
    }
}
