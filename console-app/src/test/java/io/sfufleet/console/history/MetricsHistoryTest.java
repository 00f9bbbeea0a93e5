package io.sfufleet.console.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.console.monitor.Sample;
import io.sfufleet.console.store.ConsoleDatabase;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsHistoryTest {
    @TempDir
    Path dir;

    @Test
    void samplesAreWrittenInOneFlushAndReadBackAveragedPerBucketPerNode() {
        long t0 = 1_800_000_000_000L;
        try (ConsoleDatabase db = ConsoleDatabase.open(dir.resolve("c.db"))) {
            MetricsHistory h = new MetricsHistory(db, Clock.fixed(Instant.ofEpochMilli(t0 + 60_000), ZoneOffset.UTC));
            for (int i = 0; i < 20; i++) {
                // cpu 0..19 and 1000 bytes/s more each second, on node a; a constant node b beside it
                h.add("a", new Sample(t0 + i * 1000L, i, 100, 1000L * i, 0, 10, 10, 1, i));
                h.add("b", new Sample(t0 + i * 1000L, 99, 100, 5, 5, 5, 5, 7, 7));
            }
            assertThat(h.flush()).isEqualTo(40);
            assertThat(h.flush()).isZero();
            var points = h.range("a", t0, t0 + 20_000, Duration.ofSeconds(10));
            assertThat(points).hasSize(2);
            assertThat(points.get(0).atMillis()).isEqualTo(t0);
            assertThat(points.get(0).cpuPercent()).isEqualTo(4.5);        // mean of 0..9
            assertThat(points.get(1).cpuPercent()).isEqualTo(14.5);       // mean of 10..19
            assertThat(points.get(1).bytesInPerSecond()).isEqualTo(14_500);
            assertThat(points.get(1).participants()).as("the peak, not the mean").isEqualTo(19);
            assertThat(h.range("b", t0, t0 + 20_000, Duration.ofSeconds(20))).singleElement()
                    .satisfies(p -> assertThat(p.cpuPercent()).isEqualTo(99.0));
        }
    }

    @Test
    void pruneDeletesWhatIsOlderThanTheKeepTime() {
        long now = 1_800_000_000_000L;
        try (ConsoleDatabase db = ConsoleDatabase.open(dir.resolve("c.db"))) {
            MetricsHistory h = new MetricsHistory(db, Clock.fixed(Instant.ofEpochMilli(now), ZoneOffset.UTC));
            h.add("a", new Sample(now - MetricsHistory.KEEP.toMillis() - 1, 1, 1, 1, 1, 1, 1, 1, 1));
            h.add("a", new Sample(now - 1000, 1, 1, 1, 1, 1, 1, 1, 1));
            h.flush();
            assertThat(h.prune()).isEqualTo(1);
            assertThat(h.range("a", 0, now, Duration.ofSeconds(1))).hasSize(1);
        }
    }
}
