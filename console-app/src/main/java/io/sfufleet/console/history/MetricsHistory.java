package io.sfufleet.console.history;

import io.sfufleet.console.monitor.Sample;
import io.sfufleet.console.store.ConsoleDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Node samples in the {@code node_samples} table. Samples arrive once a second per node on the
 * monitors' threads and are only queued there; {@link #flush()} (run every few seconds by the
 * console's timer) writes them in one transaction, so 100 nodes cost one commit, not 100.
 */
public final class MetricsHistory {
    /** Older samples are deleted by {@link #prune()}; the longest chart is 24 h. */
    public static final Duration KEEP = Duration.ofDays(8);
    private static final int MAX_QUEUED = 200_000;

    private final ConsoleDatabase db;
    private final Clock clock;
    private final ConcurrentLinkedQueue<Row> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong queued = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    private record Row(String node, Sample sample) {
    }

    public MetricsHistory(ConsoleDatabase db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Queues one sample; never blocks. When the writer has fallen far behind, the sample is dropped and counted. */
    public void add(String node, Sample s) {
        if (queued.incrementAndGet() > MAX_QUEUED) {
            queued.decrementAndGet();
            dropped.incrementAndGet();
            return;
        }
        queue.add(new Row(node, s));
    }

    public long droppedSamples() {
        return dropped.get();
    }

    /** Writes the queued samples; returns how many. */
    public int flush() {
        List<Row> rows = new ArrayList<>();
        for (Row r; (r = queue.poll()) != null; ) {
            rows.add(r);
        }
        queued.addAndGet(-rows.size());
        if (rows.isEmpty()) {
            return 0;
        }
        synchronized (db) {
            Connection c = db.connection();
            try {
                c.setAutoCommit(false);
                try (PreparedStatement s = c.prepareStatement("INSERT INTO node_samples (node, at_millis, cpu_percent,"
                        + " rss_bytes, bytes_in, bytes_out, packets_in, packets_out, calls, participants)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    for (Row r : rows) {
                        Sample x = r.sample();
                        s.setString(1, r.node());
                        s.setLong(2, x.atMillis());
                        s.setDouble(3, x.cpuPercent());
                        s.setLong(4, x.rssBytes());
                        s.setLong(5, x.bytesInPerSecond());
                        s.setLong(6, x.bytesOutPerSecond());
                        s.setLong(7, x.packetsInPerSecond());
                        s.setLong(8, x.packetsOutPerSecond());
                        s.setInt(9, x.calls());
                        s.setInt(10, x.participants());
                        s.addBatch();
                    }
                    s.executeBatch();
                }
                c.commit();
                return rows.size();
            } catch (SQLException e) {
                rollback(c);
                throw db.failure("write " + rows.size() + " history samples", e);
            } finally {
                autoCommit(c);
            }
        }
    }

    /**
     * A node's samples between {@code fromMillis} and {@code toMillis}, averaged into buckets of
     * {@code bucket} (1 h in 10 s buckets is 360 points; 24 h in 4 min buckets is 360 points).
     * Each point's time is its bucket's start.
     */
    public List<Sample> range(String node, long fromMillis, long toMillis, Duration bucket) {
        long b = Math.max(1000, bucket.toMillis());
        synchronized (db) {
            try (PreparedStatement s = db.connection().prepareStatement(
                    "SELECT (at_millis / ?) * ? AS t, avg(cpu_percent), avg(rss_bytes), avg(bytes_in), avg(bytes_out),"
                            + " avg(packets_in), avg(packets_out), max(calls), max(participants)"
                            + " FROM node_samples WHERE node = ? AND at_millis >= ? AND at_millis < ?"
                            + " GROUP BY t ORDER BY t")) {
                s.setLong(1, b);
                s.setLong(2, b);
                s.setString(3, node);
                s.setLong(4, fromMillis);
                s.setLong(5, toMillis);
                try (ResultSet r = s.executeQuery()) {
                    List<Sample> out = new ArrayList<>();
                    while (r.next()) {
                        out.add(new Sample(r.getLong(1), r.getDouble(2), Math.round(r.getDouble(3)),
                                Math.round(r.getDouble(4)), Math.round(r.getDouble(5)), Math.round(r.getDouble(6)),
                                Math.round(r.getDouble(7)), r.getInt(8), r.getInt(9)));
                    }
                    return out;
                }
            } catch (SQLException e) {
                throw db.failure("read the history of " + node, e);
            }
        }
    }

    /** Deletes samples older than {@link #KEEP}; returns how many. */
    public int prune() {
        synchronized (db) {
            try (PreparedStatement s = db.connection().prepareStatement("DELETE FROM node_samples WHERE at_millis < ?")) {
                s.setLong(1, clock.millis() - KEEP.toMillis());
                return s.executeUpdate();
            } catch (SQLException e) {
                throw db.failure("prune the history", e);
            }
        }
    }

    private static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the original failure is the one worth reporting
        }
    }

    private static void autoCommit(Connection c) {
        try {
            c.setAutoCommit(true);
        } catch (SQLException ignored) {
            // the connection is broken; the next statement reports it
        }
    }
}
