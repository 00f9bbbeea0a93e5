package io.sfufleet.console.pki;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The names a node certificate is valid for (its subjectAltName): IP addresses and DNS names,
 * checked before anything is signed so a typo never becomes a certificate nobody can use.
 */
public record SubjectNames(List<String> ips, List<String> dnsNames) {
    // RFC 1123 labels; no wildcards: a node certificate names the node, not a domain
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    public SubjectNames {
        List<String> i = new ArrayList<>(new LinkedHashSet<>(ips == null ? List.of() : ips.stream().map(SubjectNames::ip).toList()));
        List<String> d = new ArrayList<>(new LinkedHashSet<>(dnsNames == null ? List.of()
                : dnsNames.stream().map(SubjectNames::dns).toList()));
        if (i.isEmpty() && d.isEmpty()) {
            throw new IllegalArgumentException("a node certificate needs at least one IP address or DNS name "
                    + "(--ip ADDRESS, --dns NAME): the address the console and the clients reach the node at");
        }
        ips = List.copyOf(i);
        dnsNames = List.copyOf(d);
    }

    /** The canonical text of an IP address literal; never a DNS lookup. */
    static String ip(String s) {
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException("an empty IP address was given");
        }
        String t = s.strip();
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        try {
            if (t.contains(":") ? !t.matches("[0-9a-fA-F.:]+") : !t.matches("([0-9]{1,3}\\.){3}[0-9]{1,3}")) {
                throw new IllegalArgumentException(t);
            }
            return InetAddress.ofLiteral(t).getHostAddress();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an IP address: " + s + " (give IPv4 like 192.0.2.10 or IPv6 like "
                    + "2001:db8::10; host names go with --dns)");
        }
    }

    static String dns(String s) {
        String t = s == null ? "" : s.strip().toLowerCase(Locale.ROOT);
        if (t.endsWith(".")) {
            t = t.substring(0, t.length() - 1);
        }
        boolean ok = !t.isEmpty() && t.length() <= 253 && !t.matches("[0-9.]+");
        if (ok) {
            for (String label : t.split("\\.", -1)) {
                ok &= LABEL.matcher(label).matches();
            }
        }
        if (!ok) {
            throw new IllegalArgumentException("not a DNS host name: " + s + " (letters, digits and '-' in dot-"
                    + "separated labels of at most 63 characters, like sfu1.example.org; no wildcards; IP addresses "
                    + "go with --ip)");
        }
        return t;
    }

    /** For the records and {@code certs list}: {@code IP:a,DNS:b}. */
    public String text() {
        List<String> all = new ArrayList<>();
        ips.forEach(i -> all.add("IP:" + i));
        dnsNames.forEach(d -> all.add("DNS:" + d));
        return String.join(",", all);
    }

    static SubjectNames parse(String text) {
        List<String> i = new ArrayList<>();
        List<String> d = new ArrayList<>();
        for (String p : text.split(",")) {
            if (p.startsWith("IP:")) {
                i.add(p.substring(3));
            } else if (p.startsWith("DNS:")) {
                d.add(p.substring(4));
            }
        }
        return new SubjectNames(i, d);
    }

    /** Whether a URL's host (an IP literal or a name) is among these names. */
    public boolean covers(String host) {
        String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        try {
            return ips.contains(ip(h));
        } catch (IllegalArgumentException notAnIp) {
            return dnsNames.contains(h.toLowerCase(Locale.ROOT));
        }
    }
}
