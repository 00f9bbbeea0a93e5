package io.sfufleet.console.provision.config;

import io.sfufleet.console.store.ConsoleDatabase;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The host_configs table: per host, the desired config (as the TOML the console renders; it holds no
 * secrets) and the exact file the console last wrote there with its SHA-256, which is what a drift
 * check compares the host's file with. Rows go with their host.
 */
public final class ConfigStore {
    private final ConsoleDatabase db;
    private final Clock clock;

    public ConfigStore(ConsoleDatabase db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** What the console last wrote to a host, and when. */
    public record Written(String toml, String sha256, long atMillis) {
    }

    public Optional<String> desired(long hostId) {
        synchronized (db) {
            try (PreparedStatement s = db.connection().prepareStatement(
                    "SELECT desired_toml FROM host_configs WHERE host_id = ?")) {
                s.setLong(1, hostId);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
                }
            } catch (SQLException e) {
                throw db.failure("read the desired config of host " + hostId, e);
            }
        }
    }

    public void saveDesired(long hostId, String toml) {
        synchronized (db) {
            try (PreparedStatement s = db.connection().prepareStatement(
                    "INSERT INTO host_configs (host_id, desired_toml, desired_at_millis) VALUES (?, ?, ?) "
                            + "ON CONFLICT (host_id) DO UPDATE SET desired_toml = excluded.desired_toml, "
                            + "desired_at_millis = excluded.desired_at_millis")) {
                s.setLong(1, hostId);
                s.setString(2, toml);
                s.setLong(3, clock.millis());
                s.executeUpdate();
            } catch (SQLException e) {
                throw db.failure("store the desired config of host " + hostId, e);
            }
        }
    }

    public Optional<Written> written(long hostId) {
        synchronized (db) {
            try (PreparedStatement s = db.connection().prepareStatement(
                    "SELECT written_toml, written_sha256, written_at_millis FROM host_configs "
                            + "WHERE host_id = ? AND written_toml IS NOT NULL")) {
                s.setLong(1, hostId);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(new Written(r.getString(1), r.getString(2), r.getLong(3)))
                            : Optional.empty();
                }
            } catch (SQLException e) {
                throw db.failure("read the last written config of host " + hostId, e);
            }
        }
    }

    /** Records the file just written to the host; it also becomes the desired config if there was none. */
    public void recordWritten(long hostId, String toml) {
        synchronized (db) {
            try (PreparedStatement s = db.connection().prepareStatement(
                    "INSERT INTO host_configs (host_id, desired_toml, desired_at_millis, written_toml, written_sha256, "
                            + "written_at_millis) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (host_id) DO UPDATE SET "
                            + "written_toml = excluded.written_toml, written_sha256 = excluded.written_sha256, "
                            + "written_at_millis = excluded.written_at_millis")) {
                long now = clock.millis();
                s.setLong(1, hostId);
                s.setString(2, toml);
                s.setLong(3, now);
                s.setString(4, toml);
                s.setString(5, sha256(toml));
                s.setLong(6, now);
                s.executeUpdate();
            } catch (SQLException e) {
                throw db.failure("record the config written to host " + hostId, e);
            }
        }
    }

    /** Hex SHA-256 of the UTF-8 text, as {@code sha256sum} prints it for the same file. */
    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
