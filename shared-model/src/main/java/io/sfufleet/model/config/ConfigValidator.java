package io.sfufleet.model.config;

import static io.sfufleet.model.config.ConfigKey.*;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks the merged values before the server builds its SfuConfig from them. Adds to the problem list
 * instead of throwing, so one run reports everything; keys in {@code unusable} hold a stand-in
 * default after a type error and are not checked again.
 */
final class ConfigValidator {
    private static final Pattern NODE_NAME_SYNTAX = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern TOKEN_SYNTAX = Pattern.compile("[A-Za-z0-9._~+/=-]{16,512}");
    private static final int MIN_SECRET_CHARS = 32;
    private static final int MAX_SECRET_CHARS = 512;
    private static final String OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
    // Only the dotted quad: InetAddress also reads "10.1" or "167772161" as IPv4, which in a config
    // file is far more likely a typo than a deliberate address.
    private static final Pattern DOTTED_QUAD = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
    private static final Pattern HOST_LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern ALL_DIGITS = Pattern.compile("\\d+");
    private static final String STUN_ALLOWED = "\"host:port\" with a host name or IP literal (IPv6 in brackets) and port 1..65535";

    private final Map<ConfigKey, Object> values;
    private final Map<ConfigKey, String> notes;
    private final Set<ConfigKey> unusable;
    private final List<ConfigProblem> problems;
    private final HostChecks host;

    ConfigValidator(Map<ConfigKey, Object> values, Map<ConfigKey, String> notes, Set<ConfigKey> unusable,
                    List<ConfigProblem> problems, HostChecks host) {
        this.values = values;
        this.notes = notes;
        this.unusable = unusable;
        this.problems = problems;
        this.host = host;
    }

    void validate() {
        for (ConfigKey key : ConfigKey.values()) {
            if (key.type() == Type.INTEGER && usable(key)) {
                long value = (Long) values.get(key);
                if (value < key.min() || value > key.max()) {
                    problem(key, "out of range");
                }
            }
        }
        if (usable(NODE_NAME) && !leftToHost(NODE_NAME) && !NODE_NAME_SYNTAX.matcher(string(NODE_NAME)).matches()) {
            problem(NODE_NAME, string(NODE_NAME).isEmpty() ? "the host name could not be found out" : "not a valid node name");
        }
        for (ConfigKey key : List.of(MEDIA_BIND_ADDRESS, HTTP_LISTEN_ADDRESS, API_LISTEN_ADDRESS)) {
            if (usable(key) && ipLiteral(string(key)).isEmpty()) {
                problem(key, "not an IP address literal (bind addresses are never looked up in DNS)");
            }
        }
        iceHost();
        stunServers();
        tls(HTTP_TLS_CERT_FILE, HTTP_TLS_KEY_FILE);
        tls(API_TLS_CERT_FILE, API_TLS_KEY_FILE);
        token();
        joinTokenSecret();
        portConflicts();
        mediaTransports();
        turn();
        videoCodecs();
    }

    private static final Pattern TURN_URL = Pattern.compile(
            "turns?:(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.-]+)(:\\d{1,5})?(\\?transport=(udp|tcp))?");

    /** The codecs the node can forward, each once; one at least, or no camera could be published. */
    private void videoCodecs() {
        if (!usable(MEDIA_VIDEO_CODECS)) {
            return;
        }
        @SuppressWarnings("unchecked")
        List<String> codecs = (List<String>) values.get(MEDIA_VIDEO_CODECS);
        if (codecs.isEmpty()) {
            problem(MEDIA_VIDEO_CODECS, "empty: no camera or screen could be published");
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String codec : codecs) {
            if (!VIDEO_CODECS.contains(codec)) {
                problems.add(new ConfigProblem(MEDIA_VIDEO_CODECS.key(), codec,
                        withNote(MEDIA_VIDEO_CODECS, "not a codec the node forwards"), MEDIA_VIDEO_CODECS.allowed()));
            } else if (!seen.add(codec)) {
                problems.add(new ConfigProblem(MEDIA_VIDEO_CODECS.key(), codec,
                        withNote(MEDIA_VIDEO_CODECS, "listed twice"), MEDIA_VIDEO_CODECS.allowed()));
            }
        }
    }

    /** The video codec names media.video_codecs takes. */
    public static final List<String> VIDEO_CODECS = List.of("vp8", "vp9", "av1", "h264");

    /** TURN URLs as RTCIceServer takes them (RFC 7065), and the secret the credentials are minted from. */
    private void turn() {
        if (usable(MEDIA_TURN_URLS)) {
            @SuppressWarnings("unchecked")
            List<String> urls = (List<String>) values.get(MEDIA_TURN_URLS);
            for (String url : urls) {
                if (!TURN_URL.matcher(url).matches()) {
                    problems.add(new ConfigProblem(MEDIA_TURN_URLS.key(), url,
                            withNote(MEDIA_TURN_URLS, "not a TURN URL"), MEDIA_TURN_URLS.allowed()));
                }
            }
            if (!urls.isEmpty() && usable(MEDIA_TURN_SECRET) && string(MEDIA_TURN_SECRET).isEmpty()) {
                problem(MEDIA_TURN_SECRET, "empty, but media.turn_urls is set: clients would get no credentials");
            }
        }
        if (!usable(MEDIA_TURN_SECRET) || isPlaceholder(MEDIA_TURN_SECRET, "a secret")) {
            return;
        }
        String secret = string(MEDIA_TURN_SECRET);
        int length = secret.codePointCount(0, secret.length());
        if (!secret.isEmpty() && length < 16) {
            problem(MEDIA_TURN_SECRET, "too short (" + length + " characters)");
        } else if (length > MAX_SECRET_CHARS) {
            problem(MEDIA_TURN_SECRET, "too long (" + length + " characters)");
        }
    }

    /** With UDP off, ICE-TCP is the only way in: a node that offers neither could never carry a call. */
    private void mediaTransports() {
        if (usable(MEDIA_UDP_ENABLED) && usable(MEDIA_TCP_PORT) && !(Boolean) values.get(MEDIA_UDP_ENABLED)
                && (Long) values.get(MEDIA_TCP_PORT) == 0) {
            problems.add(new ConfigProblem(MEDIA_UDP_ENABLED.key(), "false",
                    withNote(MEDIA_UDP_ENABLED, "media.tcp_port is 0, so no media transport would be left"),
                    "true, or false with media.tcp_port set to 1..65535"));
        }
    }

    private void iceHost() {
        if (!usable(MEDIA_ICE_HOST_OVERRIDE) || leftToHost(MEDIA_ICE_HOST_OVERRIDE)) {
            return;
        }
        String host = string(MEDIA_ICE_HOST_OVERRIDE);
        Optional<InetAddress> ip = ipLiteral(host);
        if (ip.isPresent()) {
            if (ip.get().isAnyLocalAddress() || ip.get().isMulticastAddress()) {
                problem(MEDIA_ICE_HOST_OVERRIDE, "a wildcard or multicast address cannot be reached by browsers");
            }
        } else if (!isHostName(host)) {
            // Not resolved here on purpose: air-gapped sites may name a host only their clients resolve.
            problem(MEDIA_ICE_HOST_OVERRIDE, "neither an IP address literal nor a valid host name");
        }
    }

    private void stunServers() {
        if (!usable(MEDIA_STUN_SERVERS)) {
            return;
        }
        @SuppressWarnings("unchecked")
        List<String> servers = (List<String>) values.get(MEDIA_STUN_SERVERS);
        for (int i = 0; i < servers.size(); i++) {
            String reason = stunServerError(servers.get(i));
            if (reason != null) {
                problems.add(new ConfigProblem(MEDIA_STUN_SERVERS.key() + "[" + i + "]",
                        ConfigRenderer.quote(servers.get(i)), withNote(MEDIA_STUN_SERVERS, reason), STUN_ALLOWED));
            }
        }
    }

    /** Why {@code entry} is not a usable "host:port", or null if it is. */
    static String stunServerError(String entry) {
        String host;
        String port;
        if (entry.startsWith("[")) {
            int close = entry.indexOf("]:");
            if (close < 0) {
                return "expected [IPv6]:port";
            }
            host = entry.substring(1, close);
            port = entry.substring(close + 2);
            if (!(ipLiteral(host).orElse(null) instanceof Inet6Address)) {
                return "not an IPv6 address literal in brackets";
            }
        } else {
            int colon = entry.indexOf(':');
            if (colon < 0 || colon != entry.lastIndexOf(':')) {
                return "expected host:port";
            }
            host = entry.substring(0, colon);
            port = entry.substring(colon + 1);
            if (ipLiteral(host).isEmpty() && !isHostName(host)) {
                return "host is neither an IPv4 address literal nor a valid host name";
            }
        }
        if (!ALL_DIGITS.matcher(port).matches() || port.length() > 5 || Integer.parseInt(port) < 1
                || Integer.parseInt(port) > 65535) {
            return "port is not 1..65535";
        }
        return null;
    }

    /** One listener's certificate and key: both or neither, and each a readable file. */
    private void tls(ConfigKey certFile, ConfigKey keyFile) {
        if (!usable(certFile) || !usable(keyFile)) {
            return;
        }
        boolean cert = !string(certFile).isEmpty();
        boolean key = !string(keyFile).isEmpty();
        if (cert && !key) {
            problem(keyFile, "required when " + certFile.key() + " is set");
        } else if (key && !cert) {
            problem(certFile, "required when " + keyFile.key() + " is set");
        }
        for (ConfigKey file : List.of(certFile, keyFile)) {
            if (!string(file).isEmpty() && host.onHost()) {
                String reason = host.unreadableFile(string(file));
                if (reason != null) {
                    problem(file, reason);
                }
            }
        }
    }

    private void token() {
        if (!usable(API_TOKEN) || isPlaceholder(API_TOKEN, "a token")) {
            return;
        }
        String token = string(API_TOKEN);
        if (!token.isEmpty() && !TOKEN_SYNTAX.matcher(token).matches()) {
            problem(API_TOKEN, "not a valid token (" + token.length() + " characters)");
        } else if (token.isEmpty() && usable(API_LISTEN_ADDRESS)) {
            // An admin API reachable from other hosts without a token is an open door; refuse it.
            ipLiteral(string(API_LISTEN_ADDRESS)).filter(a -> !a.isLoopbackAddress()).ifPresent(a ->
                    problem(API_TOKEN, "required because " + API_LISTEN_ADDRESS.key() + " = "
                            + ConfigRenderer.quote(string(API_LISTEN_ADDRESS)) + " is reachable from other hosts"));
        }
    }

    /**
     * Any characters (it is never sent anywhere, so needs no header-safe alphabet), but long enough
     * that it cannot be guessed. Messages give only the length, like {@link #token()}.
     */
    private void joinTokenSecret() {
        if (!usable(AUTH_JOIN_TOKEN_SECRET) || isPlaceholder(AUTH_JOIN_TOKEN_SECRET, "a secret")) {
            return;
        }
        String secret = string(AUTH_JOIN_TOKEN_SECRET);
        int length = secret.codePointCount(0, secret.length());
        if (!secret.isEmpty() && length < MIN_SECRET_CHARS) {
            problem(AUTH_JOIN_TOKEN_SECRET, "too short (" + length + " characters)");
        } else if (length > MAX_SECRET_CHARS) {
            problem(AUTH_JOIN_TOKEN_SECRET, "too long (" + length + " characters)");
        }
    }

    /** A printed configuration pasted back in must stop the node, not run with "&lt;masked&gt;" as a secret. */
    private boolean isPlaceholder(ConfigKey key, String what) {
        if (!string(key).equals(ConfigRenderer.MASK)) {
            return false;
        }
        problem(key, "this is the placeholder of a printed configuration, not " + what + "; supply the real one with "
                + key.envName());
        return true;
    }

    private record Listener(ConfigKey port, ConfigKey address, boolean udp) {
    }

    /**
     * Two listeners may not share a port number on overlapping addresses. The media UDP and TCP
     * ports are the exception: the same number on two protocols is the intended default (one
     * firewall rule, like rtcd's 8443). The HTTP and API ports must also differ from the media UDP
     * port even though the protocols differ, so a port number in a firewall rule or in {@code ss}
     * output names one service.
     */
    private void portConflicts() {
        var listeners = new ArrayList<Listener>(List.of(
                new Listener(MEDIA_UDP_PORT, MEDIA_BIND_ADDRESS, true),
                new Listener(HTTP_PORT, HTTP_LISTEN_ADDRESS, false),
                new Listener(API_PORT, API_LISTEN_ADDRESS, false)));
        if (usable(MEDIA_TCP_PORT) && (Long) values.get(MEDIA_TCP_PORT) != 0) {
            listeners.add(new Listener(MEDIA_TCP_PORT, MEDIA_BIND_ADDRESS, false));
        }
        for (int j = 1; j < listeners.size(); j++) {
            for (int i = 0; i < j; i++) {
                Listener a = listeners.get(i);
                Listener b = listeners.get(j);
                if (a.port == MEDIA_UDP_PORT && b.port == MEDIA_TCP_PORT) {
                    continue;
                }
                if (!usable(a.port) || !usable(b.port) || !values.get(a.port).equals(values.get(b.port))) {
                    continue;
                }
                Optional<InetAddress> addressA = usable(a.address) ? ipLiteral(string(a.address)) : Optional.empty();
                Optional<InetAddress> addressB = usable(b.address) ? ipLiteral(string(b.address)) : Optional.empty();
                if (addressA.isPresent() && addressB.isPresent() && overlap(addressA.get(), addressB.get())) {
                    problems.add(new ConfigProblem(b.port.key(), values.get(b.port).toString(),
                            withNote(b.port, "same port as " + a.port.key() + " on overlapping addresses "
                                    + string(a.address) + " and " + string(b.address)),
                            "a port other than " + values.get(a.port) + ", or non-overlapping addresses"));
                }
            }
        }
    }

    /** Equal, or one is a wildcard; 0.0.0.0 and :: are treated alike since :: is dual-stack on Linux. */
    private static boolean overlap(InetAddress a, InetAddress b) {
        return a.equals(b) || a.isAnyLocalAddress() || b.isAnyLocalAddress();
    }

    /** Parses an IP literal without ever touching DNS; empty for anything else, including names. */
    static Optional<InetAddress> ipLiteral(String text) {
        try {
            if (text.indexOf(':') >= 0 && !text.startsWith("[")) {
                return Optional.of(Inet6Address.ofLiteral(text));
            }
            if (DOTTED_QUAD.matcher(text).matches()) {
                return Optional.of(Inet4Address.ofLiteral(text));
            }
        } catch (IllegalArgumentException notLiteral) {
            // fall through
        }
        return Optional.empty();
    }

    /**
     * RFC 1123 host name syntax. The last label may not be all digits (RFC 3696 section 2), so
     * "10.0.0.256" is a bad address rather than a good name.
     */
    static boolean isHostName(String text) {
        String name = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
        if (name.isEmpty() || name.length() > 253) {
            return false;
        }
        String[] labels = name.split("\\.", -1);
        for (String label : labels) {
            if (!HOST_LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return !ALL_DIGITS.matcher(labels[labels.length - 1]).matches();
    }

    /** An automatic value (empty) that only the node's machine can fill in, checked away from it. */
    private boolean leftToHost(ConfigKey key) {
        return !host.onHost() && string(key).isEmpty();
    }

    private boolean usable(ConfigKey key) {
        return !unusable.contains(key);
    }

    private String string(ConfigKey key) {
        return (String) values.get(key);
    }

    private void problem(ConfigKey key, String reason) {
        problems.add(new ConfigProblem(key.key(), ConfigRenderer.display(key, values.get(key)), withNote(key, reason),
                key.allowed()));
    }

    private String withNote(ConfigKey key, String reason) {
        String note = notes.get(key);
        return note == null ? reason : reason + "; " + note;
    }
}
