package io.sfufleet.sfu.metrics;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4, for tests: it fails on anything
 * a Prometheus server would reject or mis-read, and checks what the format promises beyond its
 * grammar. The client library (1.8.0) has writers only, and no maintained Java parser is on Maven
 * Central, hence this one. What it checks:
 * <ul>
 *   <li>lines: {@code # HELP name text}, {@code # TYPE name type}, other comments, samples
 *       {@code name{label="value",...} value [timestamp]}; every line ends with a line feed;</li>
 *   <li>names, label names (no reserved {@code __} prefix, no duplicates) and the escapes allowed in
 *       label values ({@code \\ \" \n}) and HELP text ({@code \\ \n});</li>
 *   <li>values as Prometheus reads them ({@code NaN}, {@code +Inf}, {@code -Inf}, decimals with an
 *       exponent), timestamps as integers;</li>
 *   <li>at most one HELP and one TYPE per family, both before its samples; a family's samples in one
 *       group; no duplicate series; sample names that fit the family's type (a histogram {@code h}
 *       has only {@code h_bucket}, {@code h_sum}, {@code h_count});</li>
 *   <li>counters not negative; histograms: {@code le} on every bucket, bounds increasing, counts
 *       cumulative, a {@code +Inf} bucket equal to {@code _count}, a {@code _sum}; summaries:
 *       {@code quantile} in [0, 1], {@code _sum} and {@code _count}.</li>
 * </ul>
 */
final class PrometheusText {
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern FLOAT = Pattern.compile(
            "[+-]?(?:(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?|Inf|inf)|NaN");
    private static final Pattern TIMESTAMP = Pattern.compile("-?[0-9]+");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    /** One sample line. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    /** A metric family: its samples in the order they came. */
    record Family(String name, String type, String help, List<Sample> samples) {
    }

    /** A parse or consistency failure, naming the line. */
    static final class FormatException extends RuntimeException {
        FormatException(int line, String message) {
            super(line > 0 ? "line " + line + ": " + message : message);
        }
    }

    private final Map<String, Family> families;

    private PrometheusText(Map<String, Family> families) {
        this.families = families;
    }

    Map<String, Family> families() {
        return families;
    }

    Family family(String name) {
        Family f = families.get(name);
        if (f == null) {
            throw new AssertionError("no metric family " + name + "; families: " + families.keySet());
        }
        return f;
    }

    /** Every sample named {@code sampleName} (e.g. {@code h_bucket}), whatever family holds it. */
    List<Sample> samples(String sampleName) {
        List<Sample> out = new ArrayList<>();
        for (Family f : families.values()) {
            for (Sample s : f.samples()) {
                if (s.name().equals(sampleName)) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    /** The value of the one sample with exactly these labels ({@code "k1", "v1", ...}); fails if absent. */
    double value(String sampleName, String... labelPairs) {
        Map<String, String> want = pairs(labelPairs);
        for (Sample s : samples(sampleName)) {
            if (s.labels().equals(want)) {
                return s.value();
            }
        }
        throw new AssertionError("no sample " + sampleName + want + "; have " + samples(sampleName));
    }

    boolean has(String sampleName, String... labelPairs) {
        Map<String, String> want = pairs(labelPairs);
        return samples(sampleName).stream().anyMatch(s -> s.labels().equals(want));
    }

    private static Map<String, String> pairs(String... kv) {
        if (kv.length % 2 != 0) {
            throw new IllegalArgumentException("label pairs must come in twos");
        }
        Map<String, String> m = new TreeMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    // ------------------------------------------------------------------ parsing

    static PrometheusText parse(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new FormatException(0, "the last line does not end with a line feed");
        }
        Map<String, String> types = new LinkedHashMap<>();
        Map<String, String> helps = new LinkedHashMap<>();
        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        Set<String> closed = new HashSet<>();
        Set<String> seriesSeen = new HashSet<>();
        String current = null;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length - 1; i++) {
            int n = i + 1;
            String line = lines[i];
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("#")) {
                String[] t = line.split("[ \t]+", 4);
                if (t.length >= 3 && t[0].equals("#") && (t[1].equals("HELP") || t[1].equals("TYPE"))) {
                    String name = t[2];
                    if (!METRIC_NAME.matcher(name).matches()) {
                        throw new FormatException(n, "bad metric name in " + t[1] + ": " + name);
                    }
                    if (samples.containsKey(name)) {
                        throw new FormatException(n, t[1] + " for " + name + " after its samples");
                    }
                    if (t[1].equals("HELP")) {
                        if (helps.put(name, unescapeHelp(n, t.length == 4 ? t[3] : "")) != null) {
                            throw new FormatException(n, "second HELP for " + name);
                        }
                    } else {
                        String type = t.length == 4 ? t[3].strip() : "";
                        if (!TYPES.contains(type)) {
                            throw new FormatException(n, "unknown type '" + type + "' for " + name);
                        }
                        if (types.put(name, type) != null) {
                            throw new FormatException(n, "second TYPE for " + name);
                        }
                    }
                    if (current != null && !current.equals(name)) {
                        closed.add(current);
                    }
                    current = name;
                }
                continue;
            }
            Sample s = parseSample(n, line);
            String family = familyOf(s.name(), types);
            if (!family.equals(current)) {
                if (closed.contains(family) || samples.containsKey(family) && !family.equals(current)) {
                    throw new FormatException(n, "samples of " + family + " are not in one group");
                }
                if (current != null) {
                    closed.add(current);
                }
                current = family;
            }
            checkSampleFits(n, s, family, types.getOrDefault(family, "untyped"));
            if (!seriesSeen.add(s.name() + new TreeMap<>(s.labels()))) {
                throw new FormatException(n, "duplicate series " + s.name() + s.labels());
            }
            samples.computeIfAbsent(family, k -> new ArrayList<>()).add(s);
        }
        Map<String, Family> families = new LinkedHashMap<>();
        for (var e : samples.entrySet()) {
            String type = types.getOrDefault(e.getKey(), "untyped");
            Family f = new Family(e.getKey(), type, helps.get(e.getKey()), List.copyOf(e.getValue()));
            if (type.equals("histogram")) {
                checkHistogram(f);
            } else if (type.equals("summary")) {
                checkSummary(f);
            }
            families.put(f.name(), f);
        }
        return new PrometheusText(families);
    }

    private static String familyOf(String sampleName, Map<String, String> types) {
        for (String suffix : List.of("_bucket", "_sum", "_count")) {
            if (sampleName.endsWith(suffix)) {
                String base = sampleName.substring(0, sampleName.length() - suffix.length());
                String type = types.get(base);
                if ("histogram".equals(type) || ("summary".equals(type) && !suffix.equals("_bucket"))) {
                    return base;
                }
            }
        }
        return sampleName;
    }

    private static void checkSampleFits(int n, Sample s, String family, String type) {
        boolean isBucket = s.name().equals(family + "_bucket");
        switch (type) {
            case "histogram" -> {
                if (s.name().equals(family)) {
                    throw new FormatException(n, "histogram " + family + " has a sample without _bucket/_sum/_count");
                }
                if (isBucket != s.labels().containsKey("le")) {
                    throw new FormatException(n, isBucket ? "bucket without le" : "le outside a bucket");
                }
            }
            case "summary" -> {
                if (s.name().equals(family) != s.labels().containsKey("quantile")) {
                    throw new FormatException(n, "summary quantile label misplaced in " + s.name());
                }
                if (s.labels().containsKey("quantile")) {
                    double q = parseFloat(n, s.labels().get("quantile"));
                    if (!(q >= 0 && q <= 1)) {
                        throw new FormatException(n, "quantile outside [0, 1]: " + q);
                    }
                }
            }
            case "counter" -> {
                if (s.value() < 0) {
                    throw new FormatException(n, "negative counter " + s.name() + " = " + s.value());
                }
            }
            default -> {
            }
        }
        if (!type.equals("histogram") && s.labels().containsKey("le")) {
            throw new FormatException(n, "le label on a " + type);
        }
    }

    private static Sample parseSample(int n, String line) {
        int i = 0;
        int len = line.length();
        while (i < len && (Character.isLetterOrDigit(line.charAt(i)) || line.charAt(i) == '_' || line.charAt(i) == ':')) {
            i++;
        }
        String name = line.substring(0, i);
        if (!METRIC_NAME.matcher(name).matches()) {
            throw new FormatException(n, "bad metric name: '" + name + "' in: " + line);
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < len && line.charAt(i) == '{') {
            i++;
            while (true) {
                i = skipBlanks(line, i);
                if (i < len && line.charAt(i) == '}') {
                    i++;
                    break;
                }
                int start = i;
                while (i < len && (Character.isLetterOrDigit(line.charAt(i)) || line.charAt(i) == '_')) {
                    i++;
                }
                String label = line.substring(start, i);
                if (!LABEL_NAME.matcher(label).matches() || label.startsWith("__")) {
                    throw new FormatException(n, "bad label name '" + label + "' in: " + line);
                }
                i = skipBlanks(line, i);
                if (i >= len || line.charAt(i) != '=') {
                    throw new FormatException(n, "expected = after label " + label);
                }
                i = skipBlanks(line, i + 1);
                if (i >= len || line.charAt(i) != '"') {
                    throw new FormatException(n, "label value of " + label + " is not quoted");
                }
                StringBuilder v = new StringBuilder();
                i++;
                while (true) {
                    if (i >= len) {
                        throw new FormatException(n, "unterminated label value of " + label);
                    }
                    char c = line.charAt(i++);
                    if (c == '"') {
                        break;
                    }
                    if (c == '\\') {
                        if (i >= len) {
                            throw new FormatException(n, "dangling backslash in label value");
                        }
                        char e = line.charAt(i++);
                        switch (e) {
                            case '\\' -> v.append('\\');
                            case '"' -> v.append('"');
                            case 'n' -> v.append('\n');
                            default -> throw new FormatException(n, "bad escape \\" + e + " in label value");
                        }
                    } else {
                        v.append(c);
                    }
                }
                if (labels.put(label, v.toString()) != null) {
                    throw new FormatException(n, "duplicate label " + label);
                }
                i = skipBlanks(line, i);
                if (i < len && line.charAt(i) == ',') {
                    i++;
                } else if (i >= len || line.charAt(i) != '}') {
                    throw new FormatException(n, "expected , or } after label " + label);
                }
            }
        }
        String rest = line.substring(i);
        if (rest.isEmpty() || (rest.charAt(0) != ' ' && rest.charAt(0) != '\t')) {
            throw new FormatException(n, "expected a blank before the value in: " + line);
        }
        String[] t = rest.strip().split("[ \t]+");
        if (t.length < 1 || t.length > 2 || t[0].isEmpty()) {
            throw new FormatException(n, "expected a value and an optional timestamp in: " + line);
        }
        double value = parseFloat(n, t[0]);
        if (t.length == 2 && !TIMESTAMP.matcher(t[1]).matches()) {
            throw new FormatException(n, "bad timestamp '" + t[1] + "'");
        }
        return new Sample(name, Map.copyOf(labels), value);
    }

    private static int skipBlanks(String s, int i) {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    private static double parseFloat(int n, String s) {
        if (!FLOAT.matcher(s).matches()) {
            throw new FormatException(n, "bad number '" + s + "'");
        }
        String v = s.replaceFirst("^([+-]?)[Ii]nf$", "$1Infinity");
        return Double.parseDouble(v);
    }

    private static String unescapeHelp(int n, String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                if (i + 1 >= s.length()) {
                    throw new FormatException(n, "dangling backslash in HELP");
                }
                char e = s.charAt(++i);
                switch (e) {
                    case '\\' -> out.append('\\');
                    case 'n' -> out.append('\n');
                    default -> throw new FormatException(n, "bad escape \\" + e + " in HELP");
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static Map<String, String> without(Map<String, String> labels, String name) {
        Map<String, String> m = new TreeMap<>(labels);
        m.remove(name);
        return m;
    }

    private static void checkHistogram(Family f) {
        Map<Map<String, String>, List<Sample>> buckets = new LinkedHashMap<>();
        Map<Map<String, String>, Double> counts = new LinkedHashMap<>();
        Set<Map<String, String>> sums = new HashSet<>();
        for (Sample s : f.samples()) {
            if (s.name().endsWith("_bucket")) {
                buckets.computeIfAbsent(without(s.labels(), "le"), k -> new ArrayList<>()).add(s);
            } else if (s.name().endsWith("_count")) {
                counts.put(new TreeMap<>(s.labels()), s.value());
            } else {
                sums.add(new TreeMap<>(s.labels()));
            }
        }
        if (!buckets.keySet().equals(counts.keySet()) || !counts.keySet().equals(sums)) {
            throw new FormatException(0, "histogram " + f.name() + ": _bucket, _count and _sum series do not match: "
                    + buckets.keySet() + " / " + counts.keySet() + " / " + sums);
        }
        for (var e : buckets.entrySet()) {
            double lastBound = Double.NEGATIVE_INFINITY;
            double lastCount = 0;
            for (Sample b : e.getValue()) {
                double le = parseFloat(0, b.labels().get("le"));
                if (!(le > lastBound)) {
                    throw new FormatException(0, "histogram " + f.name() + e.getKey() + ": bucket bounds not increasing at le=" + le);
                }
                if (b.value() < lastCount || Double.isNaN(b.value())) {
                    throw new FormatException(0, "histogram " + f.name() + e.getKey() + ": buckets not cumulative at le=" + le);
                }
                lastBound = le;
                lastCount = b.value();
            }
            if (lastBound != Double.POSITIVE_INFINITY) {
                throw new FormatException(0, "histogram " + f.name() + e.getKey() + " has no le=\"+Inf\" bucket");
            }
            if (lastCount != counts.get(e.getKey())) {
                throw new FormatException(0, "histogram " + f.name() + e.getKey() + ": +Inf bucket " + lastCount
                        + " != _count " + counts.get(e.getKey()));
            }
        }
    }

    private static void checkSummary(Family f) {
        Set<Map<String, String>> series = new HashSet<>();
        Set<Map<String, String>> counts = new HashSet<>();
        Set<Map<String, String>> sums = new HashSet<>();
        for (Sample s : f.samples()) {
            if (s.name().equals(f.name())) {
                series.add(without(s.labels(), "quantile"));
            } else if (s.name().endsWith("_count")) {
                counts.add(new TreeMap<>(s.labels()));
            } else {
                sums.add(new TreeMap<>(s.labels()));
            }
        }
        if (!counts.equals(sums) || !counts.containsAll(series)) {
            throw new FormatException(0, "summary " + f.name() + ": _count, _sum and quantile series do not match");
        }
    }
}
