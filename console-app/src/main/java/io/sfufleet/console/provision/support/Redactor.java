package io.sfufleet.console.provision.support;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Takes secrets out of text bound for a support bundle: every known secret value wherever it
 * appears (the env file's values, the API token, the SSH password or passphrase), and the value of
 * any {@code key = value} or {@code key: value} whose key names a token, secret, password or
 * passphrase, for secrets the console does not know of.
 */
public final class Redactor {
    public static final String MARK = "<redacted>";
    /** Shorter values are not secrets worth the name, and replacing them would garble everything. */
    static final int MIN_SECRET_LENGTH = 6;
    private static final Pattern NAMED = Pattern.compile(
            "(?i)([A-Za-z0-9_.-]*(?:token|secret|password|passphrase|passwd)[A-Za-z0-9_.-]*\"?\\s*[=:]\\s*)(\"?)([^\\s\",}\\]]+)");
    private static final Pattern BEARER = Pattern.compile("(?i)(Bearer\\s+)([A-Za-z0-9._~+/=-]+)");

    private final List<String> secrets = new ArrayList<>();

    /** Adds a value to remove; null, blank and very short values are ignored. */
    public Redactor secret(String value) {
        if (value != null && value.strip().length() >= MIN_SECRET_LENGTH && !secrets.contains(value.strip())) {
            secrets.add(value.strip());
            // the longest first, so a secret containing another is removed whole
            secrets.sort(Comparator.comparingInt(String::length).reversed());
        }
        return this;
    }

    public List<String> secrets() {
        return List.copyOf(secrets);
    }

    public String redact(String text) {
        String out = text;
        for (String s : secrets) {
            out = out.replace(s, MARK);
        }
        // numbers and booleans under such keys are settings (token_ttl_seconds = 300), not secrets
        out = NAMED.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(3).matches("-?[0-9.]+|true|false")
                ? m.group() : m.group(1) + m.group(2) + MARK));
        return BEARER.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MARK));
    }
}
