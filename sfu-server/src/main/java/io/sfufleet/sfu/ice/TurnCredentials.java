package io.sfufleet.sfu.ice;

import io.sfufleet.model.signal.IceServer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Short-lived TURN credentials from a secret shared with the TURN servers, in the scheme coturn
 * calls "TURN REST API" (draft-uberti-behave-turn-rest-00, coturn's {@code use-auth-secret}):
 * {@code username = <expiry, unix seconds>:<user>}, {@code password = base64(HMAC-SHA1(secret,
 * username))}. The TURN server checks both without asking the node, and refuses the username
 * once it has expired. Immutable; thread-safe.
 */
public final class TurnCredentials {
    /** No TURN servers: joins get no ICE servers. */
    public static final TurnCredentials NONE = new TurnCredentials(List.of(), "", 0);

    private final List<String> urls;
    /** The TURN servers' addresses: media from one of them was relayed. */
    private final Set<InetAddress> relayHosts;
    private final byte[] secret;
    private final long ttlSeconds;

    /**
     * @param urls       TURN URLs handed to clients; empty for none
     * @param secret     the TURN servers' static-auth-secret (non-empty when there are URLs)
     * @param ttlSeconds how long minted credentials stay valid
     */
    public TurnCredentials(List<String> urls, String secret, long ttlSeconds) {
        this.urls = List.copyOf(urls);
        if (!this.urls.isEmpty() && (secret.isEmpty() || ttlSeconds <= 0)) {
            throw new IllegalArgumentException("TURN URLs need a secret and a positive lifetime");
        }
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.ttlSeconds = ttlSeconds;
        Set<InetAddress> hosts = new HashSet<>();
        for (String url : this.urls) {
            hosts.addAll(addresses(host(url)));
        }
        this.relayHosts = Set.copyOf(hosts);
    }

    /**
     * Whether media from {@code address} came through one of our TURN servers. ICE-lite learns
     * nothing else about the client's candidate: a relayed client's checks come from the TURN
     * server's relay address, and their PRIORITY carries the peer-reflexive type whatever the
     * client's candidate was. A client running on a TURN server's own host would count as relayed.
     */
    public boolean isRelay(InetAddress address) {
        return address != null && relayHosts.contains(address);
    }

    /** The host of {@code turn:host:port?transport=udp}, {@code turns:[v6]:port} or {@code turn:host}. */
    static String host(String url) {
        String s = url.substring(url.indexOf(':') + 1);
        int q = s.indexOf('?');
        if (q >= 0) {
            s = s.substring(0, q);
        }
        if (s.startsWith("[")) {
            int end = s.indexOf(']');
            return end < 0 ? s.substring(1) : s.substring(1, end);
        }
        int colon = s.lastIndexOf(':');
        return colon < 0 ? s : s.substring(0, colon);
    }

    /** Its addresses; a name that does not resolve now is left out (logged) rather than failing the start. */
    private static List<InetAddress> addresses(String host) {
        try {
            return List.of(InetAddress.getAllByName(host));
        } catch (UnknownHostException | SecurityException e) {
            System.getLogger(TurnCredentials.class.getName()).log(System.Logger.Level.WARNING,
                    "TURN server {0} does not resolve; participants relayed by it show as udp", host);
            return List.of();
        }
    }

    /** The ICE servers for {@code user} (a participant id) joining at {@code nowMillis}: none, or one with all URLs. */
    public List<IceServer> forUser(String user, long nowMillis) {
        if (urls.isEmpty()) {
            return List.of();
        }
        String username = username(nowMillis / 1000 + ttlSeconds, user);
        return List.of(new IceServer(urls, username, password(username)));
    }

    /** {@code <expiry>:<user>}; a colon in {@code user} is kept (coturn splits at the first one). */
    static String username(long expiresAtSeconds, String user) {
        return expiresAtSeconds + ":" + user;
    }

    /** base64(HMAC-SHA1(secret, username)). */
    String password(String username) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret, "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is missing from this JDK", e);
        }
    }
}
