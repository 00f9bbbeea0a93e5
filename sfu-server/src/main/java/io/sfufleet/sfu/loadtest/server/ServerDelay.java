package io.sfufleet.sfu.loadtest.server;

import java.util.Arrays;
import java.util.Locale;
import java.util.TreeMap;

/**
 * A server's own latency histogram (Prometheus classic buckets, cumulative counts) read from its
 * metrics text, e.g. the node's {@code sfu_forwarding_delay_seconds}: how long a packet spent
 * inside the node, without the clients' crypto and scheduling that the load tool's end-to-end
 * delay includes. Quantiles are bucket upper bounds, so they read "at most".
 *
 * @param upperBoundsSeconds the buckets' {@code le} bounds, ascending, the last one +Inf
 * @param cumulative         observations at or below each bound
 */
public record ServerDelay(double[] upperBoundsSeconds, long[] cumulative) {
    public ServerDelay {
        if (upperBoundsSeconds.length != cumulative.length || upperBoundsSeconds.length == 0) {
            throw new IllegalArgumentException("bounds and counts differ in length or are empty");
        }
    }

    /**
     * The histogram {@code name} in Prometheus text format; series with other labels (per kind, per
     * call) are added up bucket by bucket. Null when the text has no such histogram.
     */
    public static ServerDelay parse(String text, String name) {
        TreeMap<Double, Long> buckets = new TreeMap<>();
        String prefix = name + "_bucket{";
        for (String line : text.split("\n")) {
            if (!line.startsWith(prefix)) {
                continue;
            }
            int le = line.indexOf("le=\"");
            int close = line.lastIndexOf('}');
            if (le < 0 || close < le) {
                continue;
            }
            int end = line.indexOf('"', le + 4);
            String bound = line.substring(le + 4, end);
            String value = line.substring(close + 1).trim().split(" ")[0];
            try {
                double b = bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound);
                buckets.merge(b, (long) Double.parseDouble(value), Long::sum);
            } catch (NumberFormatException e) {
                // a line we cannot read is left out rather than guessed
            }
        }
        if (buckets.isEmpty()) {
            return null;
        }
        double[] bounds = buckets.keySet().stream().mapToDouble(Double::doubleValue).toArray();
        long[] counts = buckets.values().stream().mapToLong(Long::longValue).toArray();
        return new ServerDelay(bounds, counts);
    }

    /** What was observed after {@code earlier} (the same histogram read before). */
    public ServerDelay since(ServerDelay earlier) {
        if (!Arrays.equals(upperBoundsSeconds, earlier.upperBoundsSeconds)) {
            throw new IllegalArgumentException("the histograms have different buckets");
        }
        long[] d = new long[cumulative.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = Math.max(0, cumulative[i] - earlier.cumulative[i]);
        }
        return new ServerDelay(upperBoundsSeconds, d);
    }

    public long count() {
        return cumulative[cumulative.length - 1];
    }

    /** The bound, in milliseconds, under which at least {@code q} of the observations fell; NaN when empty. */
    public double quantileMillis(double q) {
        long total = count();
        if (total == 0) {
            return Double.NaN;
        }
        long want = (long) Math.ceil(q * total);
        for (int i = 0; i < cumulative.length; i++) {
            if (cumulative[i] >= want) {
                return upperBoundsSeconds[i] * 1000;
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    /** "<= 0.025" or "> 100" (above the last finite bound). */
    public static String formatMillis(double ms) {
        if (Double.isNaN(ms)) {
            return "n/a";
        }
        return Double.isInfinite(ms) ? "> last bucket" : String.format(Locale.ROOT, "<= %s", trim(ms));
    }

    private static String trim(double ms) {
        String s = String.format(Locale.ROOT, "%.3f", ms);
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ServerDelay d && Arrays.equals(upperBoundsSeconds, d.upperBoundsSeconds)
                && Arrays.equals(cumulative, d.cumulative);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(upperBoundsSeconds) + Arrays.hashCode(cumulative);
    }

    @Override
    public String toString() {
        return "ServerDelay" + Arrays.toString(upperBoundsSeconds) + Arrays.toString(cumulative);
    }
}
