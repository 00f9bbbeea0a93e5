package io.sfufleet.console.alerts;

import io.sfufleet.console.store.ConsoleDatabase;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The {@code alerts} table. */
public final class AlertStore {
    private final ConsoleDatabase db;

    public AlertStore(ConsoleDatabase db) {
        this.db = db;
    }

    public Alert raise(Condition c, long atMillis) {
        synchronized (db) {
            try (PreparedStatement s = db.connection().prepareStatement("INSERT INTO alerts (node, alert_key, kind,"
                    + " severity, message, raised_at_millis) VALUES (?, ?, ?, ?, ?, ?)",
                    PreparedStatement.RETURN_GENERATED_KEYS)) {
                s.setString(1, c.node());
                s.setString(2, c.key());
                s.setString(3, c.kind().name());
                s.setString(4, c.kind().severity().name());
                s.setString(5, c.message());
                s.setLong(6, atMillis);
                s.executeUpdate();
                try (ResultSet k = s.getGeneratedKeys()) {
                    k.next();
                    return new Alert(k.getLong(1), c.node(), c.key(), c.kind(), c.kind().severity(), c.message(),
                            atMillis, null);
                }
            } catch (SQLException e) {
                throw db.failure("store an alert", e);
            }
        }
    }

    public void clear(long id, long atMillis) {
        synchronized (db) {
            try (PreparedStatement s = db.connection().prepareStatement(
                    "UPDATE alerts SET cleared_at_millis = ? WHERE id = ? AND cleared_at_millis IS NULL")) {
                s.setLong(1, atMillis);
                s.setLong(2, id);
                s.executeUpdate();
            } catch (SQLException e) {
                throw db.failure("clear an alert", e);
            }
        }
    }

    /** Alerts still open, e.g. from a previous run of the console. */
    public List<Alert> active() {
        return select("WHERE cleared_at_millis IS NULL ORDER BY id", -1);
    }

    /** The newest {@code limit} alerts, active or cleared, newest first. */
    public List<Alert> latest(int limit) {
        return select("ORDER BY id DESC LIMIT ?", limit);
    }

    private List<Alert> select(String where, int limit) {
        synchronized (db) {
            try (PreparedStatement s = db.connection().prepareStatement("SELECT id, node, alert_key, kind, severity,"
                    + " message, raised_at_millis, cleared_at_millis FROM alerts " + where)) {
                if (limit >= 0) {
                    s.setInt(1, limit);
                }
                try (ResultSet r = s.executeQuery()) {
                    List<Alert> out = new ArrayList<>();
                    while (r.next()) {
                        long cleared = r.getLong(8);
                        out.add(new Alert(r.getLong(1), r.getString(2), r.getString(3), AlertKind.valueOf(r.getString(4)),
                                AlertSeverity.valueOf(r.getString(5)), r.getString(6), r.getLong(7),
                                r.wasNull() ? null : cleared));
                    }
                    return out;
                }
            } catch (SQLException e) {
                throw db.failure("read alerts", e);
            }
        }
    }
}
