package io.sfufleet.sfu.loadtest.report;

import io.sfufleet.sfu.loadtest.scenario.LoadResult;
import io.sfufleet.sfu.loadtest.scenario.Sample;
import io.sfufleet.sfu.loadtest.server.ServerDelay;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Writes a run's report into a directory: {@code report.md} (summary, the counter check, errors),
 * {@code samples-<label>.csv} (one row per second) and PNG plots of CPU, memory, packet rates and
 * delay. Several results (e.g. the node and Janus under the same scenario) go into one report with
 * their ratios.
 */
public final class ReportWriter {
    private ReportWriter() {
    }

    /** A result and the short label it has in file names and tables ("sfu", "janus"). */
    public record Labelled(String label, LoadResult result) {
    }

    public static Path write(Path dir, List<Labelled> results) throws IOException {
        Files.createDirectories(dir);
        for (Labelled r : results) {
            Files.writeString(dir.resolve("samples-" + r.label() + ".csv"), csv(r.result()));
        }
        System.setProperty("java.awt.headless", "true");
        plot(dir.resolve("cpu-rss.png"), "Server CPU (%) and RSS (MiB)", results, List.of(
                new Series("CPU %", Sample::serverCpuPercent),
                new Series("RSS MiB", s -> s.serverRssBytes() == null ? null : s.serverRssBytes() / 1048576.0)));
        plot(dir.resolve("packets.png"), "Packets per second (clients)", results, List.of(
                new Series("sent", Sample::clientPacketsOutPerSecond),
                new Series("received", Sample::clientPacketsInPerSecond)));
        plot(dir.resolve("bitrate.png"), "Mbit/s (clients)", results, List.of(
                new Series("sent", s -> s.clientBitsOutPerSecond() / 1e6),
                new Series("received", s -> s.clientBitsInPerSecond() / 1e6)));
        plot(dir.resolve("delay.png"), "Forwarding delay (ms)", results, List.of(
                new Series("p50", s -> s.delayP50Micros() < 0 ? null : s.delayP50Micros() / 1000.0),
                new Series("p99", s -> s.delayP99Micros() < 0 ? null : s.delayP99Micros() / 1000.0)));
        Path md = dir.resolve("report.md");
        Files.writeString(md, markdown(results));
        return md;
    }

    private record Series(String name, Function<Sample, Number> value) {
    }

    private static void plot(Path file, String title, List<Labelled> results, List<Series> series) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(450).title(title).xAxisTitle("seconds").build();
        chart.getStyler().setMarkerSize(3);
        for (Labelled r : results) {
            for (Series s : series) {
                List<Double> x = new ArrayList<>();
                List<Double> y = new ArrayList<>();
                for (Sample sample : r.result().samples()) {
                    Number v = s.value().apply(sample);
                    if (v != null) {
                        x.add(sample.seconds());
                        y.add(v.doubleValue());
                    }
                }
                if (!x.isEmpty()) {
                    chart.addSeries(r.label() + " " + s.name(), x, y).setMarker(SeriesMarkers.NONE);
                }
            }
        }
        if (chart.getSeriesMap().isEmpty()) {
            return;
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    static String csv(LoadResult r) {
        StringBuilder b = new StringBuilder("seconds,participants,client_pps_out,client_pps_in,client_bps_out,client_bps_in,"
                + "delay_p50_us,delay_p99_us,lost_total,server_cpu_percent,server_rss_bytes,server_pps_in,server_pps_out,"
                + "server_bps_in,server_bps_out\n");
        for (Sample s : r.samples()) {
            b.append(String.format(Locale.ROOT, "%.3f,%d,%.1f,%.1f,%.0f,%.0f,%d,%d,%d,%.2f,%s,%s,%s,%s,%s%n",
                    s.seconds(), s.participants(), s.clientPacketsOutPerSecond(), s.clientPacketsInPerSecond(),
                    s.clientBitsOutPerSecond(), s.clientBitsInPerSecond(), s.delayP50Micros(), s.delayP99Micros(),
                    s.lostTotal(), s.serverCpuPercent(), str(s.serverRssBytes()), str(s.serverPacketsInPerSecond()),
                    str(s.serverPacketsOutPerSecond()), str(s.serverBitsInPerSecond()), str(s.serverBitsOutPerSecond())));
        }
        return b.toString();
    }

    private static String str(Long v) {
        return v == null ? "" : v.toString();
    }

    /** The results table: one column per server, and their ratio when there are two. */
    public static String markdown(List<Labelled> results) {
        if (results.isEmpty()) {
            throw new IllegalArgumentException("no results to report");
        }
        LoadResult first = results.getFirst().result();
        StringBuilder b = new StringBuilder();
        b.append("# Load run: ").append(first.scenario().describe()).append("\n\n");
        b.append("Started ").append(Instant.ofEpochMilli(first.startedAtMillis())).append("; ramp ")
                .append(fmt(first.scenario().rampPerSecond())).append(" joins/s, hold ")
                .append(first.scenario().duration().toSeconds()).append(" s.\n\n");
        for (Labelled r : results) {
            b.append("- `").append(r.label()).append("`: ").append(r.result().server()).append('\n');
        }
        b.append('\n');
        b.append(table(results));
        for (Labelled r : results) {
            List<LoadResult.CounterMatch> m = r.result().counterMatches();
            if (!m.isEmpty()) {
                b.append("\n## Counters, `").append(r.label()).append("`: clients against the server's own API\n\n");
                b.append("| counter | clients | server | deviation |\n|---|---:|---:|---:|\n");
                for (LoadResult.CounterMatch c : m) {
                    b.append("| ").append(c.what()).append(" | ").append(c.clients()).append(" | ").append(c.server())
                            .append(" | ").append(String.format(Locale.ROOT, "%.2f %%", c.deviationPercent())).append(" |\n");
                }
            }
            if (!r.result().errors().isEmpty()) {
                b.append("\n## Errors, `").append(r.label()).append("`\n\n");
                for (String e : r.result().errors()) {
                    b.append("- ").append(e.replace('\n', ' ')).append('\n');
                }
            }
        }
        b.append("\nPlots: `cpu-rss.png`, `packets.png`, `bitrate.png`, `delay.png`; per-second data: `samples-<label>.csv`.\n");
        return b.toString();
    }

    /** The summary table alone (for docs/benchmarks.md). */
    public static String table(List<Labelled> results) {
        List<String[]> rows = new ArrayList<>();
        rows.add(row("participants joined / failed", results, r -> r.joinMillis().size() + " / " + r.joinFailures()));
        rows.add(row("server CPU % avg / max (100 = 1 core)", results,
                r -> fmt(r.averageCpuPercent()) + " / " + fmt(r.maxCpuPercent())));
        rows.add(row("server RSS max (MiB)", results, r -> r.maxRssBytes() == null ? "n/a" : fmt(r.maxRssBytes() / 1048576.0)));
        rows.add(row("packets/s clients sent", results, r -> fmt(avg(r, Sample::clientPacketsOutPerSecond))));
        rows.add(row("packets/s clients received (forwarded)", results, r -> fmt(r.forwardedPacketsPerSecond())));
        rows.add(row("Mbit/s in / out (clients)", results, r -> fmt(avg(r, Sample::clientBitsOutPerSecond) / 1e6) + " / "
                + fmt(avg(r, Sample::clientBitsInPerSecond) / 1e6)));
        rows.add(row("server packets/s in / out (own count)", results, r -> r.steady().getFirst().serverPacketsInPerSecond() == null
                ? "n/a" : fmt(avg(r, s -> s.serverPacketsInPerSecond().doubleValue())) + " / "
                + fmt(avg(r, s -> s.serverPacketsOutPerSecond().doubleValue()))));
        rows.add(row("forwarded packets per server CPU-second", results, r -> fmt(r.forwardedPerCpuSecond())));
        rows.add(row("receiver loss %", results, r -> String.format(Locale.ROOT, "%.3f", r.clientTotals().lossPercent())));
        rows.add(row("delay p50 / p90 / p99 / max (ms)", results, r -> ms(r.delayMicros()[0]) + " / " + ms(r.delayMicros()[1])
                + " / " + ms(r.delayMicros()[2]) + " / " + ms(r.delayMicros()[4])));
        rows.add(row("server's own forwarding delay p50 / p99 / p99.9 (ms, its histogram)", results,
                r -> r.serverDelay() == null || r.serverDelay().count() == 0 ? "n/a"
                        : ServerDelay.formatMillis(r.serverDelay().quantileMillis(0.5)) + " / "
                        + ServerDelay.formatMillis(r.serverDelay().quantileMillis(0.99)) + " / "
                        + ServerDelay.formatMillis(r.serverDelay().quantileMillis(0.999))));
        rows.add(row("join time p50 / p90 / p99 / max (ms)", results, r -> r.joinQuantile(0.5) + " / " + r.joinQuantile(0.9)
                + " / " + r.joinQuantile(0.99) + " / " + r.joinQuantile(1.0)));
        rows.add(row("errors (join failures, SRTP failures, other)", results,
                r -> r.joinFailures() + ", " + r.srtpErrors() + ", " + r.errors().size()));
        StringBuilder b = new StringBuilder("| | ");
        for (Labelled r : results) {
            b.append(r.label()).append(" | ");
        }
        boolean ratio = results.size() == 2;
        if (ratio) {
            b.append(results.get(0).label()).append(" / ").append(results.get(1).label()).append(" | ");
        }
        b.append("\n|---|");
        b.append("---:|".repeat(results.size() + (ratio ? 1 : 0)));
        b.append('\n');
        List<Double[]> ratios = ratio ? ratios(results.get(0).result(), results.get(1).result()) : List.of();
        for (int i = 0; i < rows.size(); i++) {
            String[] r = rows.get(i);
            b.append("| ").append(String.join(" | ", r)).append(" |");
            if (ratio) {
                Double[] x = ratios.get(i);
                b.append(' ').append(x == null ? "" : fmt(x[0]) + "x").append(" |");
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** Ratios for the rows where a ratio means something (CPU, RSS, efficiency, delay p99). */
    private static List<Double[]> ratios(LoadResult a, LoadResult b) {
        List<Double[]> out = new ArrayList<>();
        out.add(null);
        out.add(ratio(a.averageCpuPercent(), b.averageCpuPercent()));
        out.add(a.maxRssBytes() == null || b.maxRssBytes() == null ? null : ratio(a.maxRssBytes(), b.maxRssBytes()));
        out.add(null);
        out.add(ratio(a.forwardedPacketsPerSecond(), b.forwardedPacketsPerSecond()));
        out.add(null);
        out.add(null);
        out.add(ratio(a.forwardedPerCpuSecond(), b.forwardedPerCpuSecond()));
        out.add(null);
        out.add(ratio(a.delayMicros()[2], b.delayMicros()[2]));
        out.add(null);
        out.add(ratio(a.joinQuantile(0.5), b.joinQuantile(0.5)));
        out.add(null);
        return out;
    }

    private static Double[] ratio(double x, double y) {
        return y <= 0 || x < 0 ? null : new Double[] {x / y};
    }

    private static String[] row(String name, List<Labelled> results, Function<LoadResult, String> f) {
        String[] r = new String[results.size() + 1];
        r[0] = name;
        for (int i = 0; i < results.size(); i++) {
            try {
                r[i + 1] = f.apply(results.get(i).result());
            } catch (RuntimeException e) {
                r[i + 1] = "n/a";
            }
        }
        return r;
    }

    private static double avg(LoadResult r, java.util.function.ToDoubleFunction<Sample> f) {
        return r.steady().stream().mapToDouble(f).average().orElse(0);
    }

    static String fmt(double v) {
        if (Math.abs(v) >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String ms(long micros) {
        return micros < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", micros / 1000.0);
    }

    /** For callers that cannot throw. */
    public static Path writeUnchecked(Path dir, List<Labelled> results) {
        try {
            return write(dir, results);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
