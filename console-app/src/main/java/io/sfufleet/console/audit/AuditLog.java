package io.sfufleet.console.audit;

import io.sfufleet.console.store.ConsoleDatabase;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** Appends to and reads the {@code audit} table of the console database. */
public final class AuditLog {
    private final ConsoleDatabase db;
    private final Clock clock;
    private final String who;

    /** @param who the OS user, written into every entry */
    public AuditLog(ConsoleDatabase db, Clock clock, String who) {
        this.db = db;
        this.clock = clock;
        this.who = who;
    }

    public AuditEntry record(String node, String action, String target, String result) {
        long at = clock.millis();
        synchronized (db) {
            return insert(at, node, action, target, result);
        }
    }

    private AuditEntry insert(long at, String node, String action, String target, String result) {
        try (PreparedStatement s = db.connection().prepareStatement(
                "INSERT INTO audit (at_millis, who, node, action, target, result) VALUES (?, ?, ?, ?, ?, ?)",
                PreparedStatement.RETURN_GENERATED_KEYS)) {
            s.setLong(1, at);
            s.setString(2, who);
            s.setString(3, node);
            s.setString(4, action);
            s.setString(5, target);
            s.setString(6, result);
            s.executeUpdate();
            try (ResultSet keys = s.getGeneratedKeys()) {
                long id = keys.next() ? keys.getLong(1) : 0;
                return new AuditEntry(id, at, who, node, action, target, result);
            }
        } catch (SQLException e) {
            throw db.failure("write an audit entry", e);
        }
    }

    /** The newest {@code limit} entries, oldest first. */
    public List<AuditEntry> latest(int limit) {
        synchronized (db) {
            return select(limit);
        }
    }

    private List<AuditEntry> select(int limit) {
        try (PreparedStatement s = db.connection().prepareStatement(
                "SELECT id, at_millis, who, node, action, target, result FROM "
                        + "(SELECT * FROM audit ORDER BY id DESC LIMIT ?) ORDER BY id")) {
            s.setInt(1, limit);
            try (ResultSet r = s.executeQuery()) {
                List<AuditEntry> out = new ArrayList<>();
                while (r.next()) {
                    out.add(new AuditEntry(r.getLong(1), r.getLong(2), r.getString(3), r.getString(4),
                            r.getString(5), r.getString(6), r.getString(7)));
                }
                return out;
            }
        } catch (SQLException e) {
            throw db.failure("read the audit trail", e);
        }
    }
}
