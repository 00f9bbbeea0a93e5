package io.sfufleet.console.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;

/**
 * One open console database: a SQLite file whose schema is created or migrated on open. The
 * schema version is SQLite's {@code user_version}; {@link #MIGRATIONS} get applied in order, each
 * in a transaction. A file from a newer console (a higher version) is refused, not downgraded.
 */
public final class ConsoleDatabase implements AutoCloseable {
    private static final List<String> MIGRATIONS = List.of(
            // 1: settings (salt, key check), nodes with encrypted tokens, audit trail
            """
            CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
            CREATE TABLE nodes (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                api_url TEXT NOT NULL,
                token_sealed BLOB,
                added_at_millis INTEGER NOT NULL);
            CREATE TABLE audit (
                id INTEGER PRIMARY KEY,
                at_millis INTEGER NOT NULL,
                who TEXT NOT NULL,
                node TEXT,
                action TEXT NOT NULL,
                target TEXT,
                result TEXT NOT NULL);
            CREATE INDEX audit_at ON audit (at_millis);
            """,
            // 2: one row per node and second for the 1 h / 24 h charts; alerts, raised and cleared
            """
            CREATE TABLE node_samples (
                node TEXT NOT NULL,
                at_millis INTEGER NOT NULL,
                cpu_percent REAL NOT NULL,
                rss_bytes INTEGER NOT NULL,
                bytes_in INTEGER NOT NULL,
                bytes_out INTEGER NOT NULL,
                packets_in INTEGER NOT NULL,
                packets_out INTEGER NOT NULL,
                calls INTEGER NOT NULL,
                participants INTEGER NOT NULL);
            CREATE INDEX node_samples_node_at ON node_samples (node, at_millis);
            CREATE TABLE alerts (
                id INTEGER PRIMARY KEY,
                node TEXT NOT NULL,
                alert_key TEXT NOT NULL,
                kind TEXT NOT NULL,
                severity TEXT NOT NULL,
                message TEXT NOT NULL,
                raised_at_millis INTEGER NOT NULL,
                cleared_at_millis INTEGER);
            CREATE INDEX alerts_open ON alerts (cleared_at_millis, node);
            """,
            // 3: hosts to provision over SSH: secrets sealed like node tokens, the pinned host key (TOFU)
            """
            CREATE TABLE hosts (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                address TEXT NOT NULL,
                ssh_port INTEGER NOT NULL,
                ssh_user TEXT NOT NULL,
                auth TEXT NOT NULL,
                key_file TEXT,
                secret_sealed BLOB,
                host_key_type TEXT,
                host_key_fingerprint TEXT,
                prefix TEXT NOT NULL,
                added_at_millis INTEGER NOT NULL);
            """,
            // 4: the site CA (its key sealed like node tokens) and the node certificates it issued
            """
            CREATE TABLE pki_ca (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                name TEXT NOT NULL,
                cert_pem TEXT NOT NULL,
                key_sealed BLOB NOT NULL,
                created_at_millis INTEGER NOT NULL);
            CREATE TABLE pki_certs (
                id INTEGER PRIMARY KEY,
                host TEXT NOT NULL,
                serial TEXT NOT NULL UNIQUE,
                sans TEXT NOT NULL,
                not_before_millis INTEGER NOT NULL,
                not_after_millis INTEGER NOT NULL,
                sha256 TEXT NOT NULL,
                cert_pem TEXT NOT NULL,
                key_sealed BLOB NOT NULL,
                issued_at_millis INTEGER NOT NULL,
                pushed_at_millis INTEGER);
            CREATE INDEX pki_certs_host ON pki_certs (host, issued_at_millis);
            """,
            // 5: per host, the desired node config and what the console last wrote there (for drift)
            """
            CREATE TABLE host_configs (
                host_id INTEGER PRIMARY KEY REFERENCES hosts (id) ON DELETE CASCADE,
                desired_toml TEXT NOT NULL,
                desired_at_millis INTEGER NOT NULL,
                written_toml TEXT,
                written_sha256 TEXT,
                written_at_millis INTEGER);
            """);
    /** The schema this console writes. */
    public static final int SCHEMA_VERSION = MIGRATIONS.size();

    private final Path file;
    private final Connection connection;

    private ConsoleDatabase(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
    }

    /** Opens (creating the file and its folder, mode 0700/0600 where POSIX) and migrates. */
    public static ConsoleDatabase open(Path file) {
        Path abs = file.toAbsolutePath();
        try {
            Path dir = abs.getParent();
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                restrict(dir, "rwx------");
            }
            boolean fresh = !Files.exists(abs);
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + abs);
            if (fresh) {
                restrict(abs, "rw-------");
            }
            ConsoleDatabase db = new ConsoleDatabase(abs, c);
            try {
                try (Statement s = c.createStatement()) {
                    s.execute("PRAGMA foreign_keys = ON");
                    s.execute("PRAGMA busy_timeout = 5000");
                }
                db.migrate();
            } catch (SQLException | RuntimeException e) {
                c.close();
                throw e;
            }
            return db;
        } catch (SQLException e) {
            throw new StoreException("cannot open the console database " + abs + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new StoreException("cannot create the folder of the console database " + abs + ": " + e, e);
        }
    }

    private static void restrict(Path p, String perms) throws IOException {
        if (Files.getFileStore(p).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
        }
    }

    private void migrate() throws SQLException {
        int version = schemaVersion();
        if (version > SCHEMA_VERSION) {
            throw new StoreException("the console database " + file + " has schema version " + version
                    + ", newer than this console's " + SCHEMA_VERSION + ": use a newer console");
        }
        for (int v = version; v < SCHEMA_VERSION; v++) {
            connection.setAutoCommit(false);
            try (Statement s = connection.createStatement()) {
                for (String sql : MIGRATIONS.get(v).split(";")) {
                    if (!sql.isBlank()) {
                        s.executeUpdate(sql);
                    }
                }
                s.executeUpdate("PRAGMA user_version = " + (v + 1));
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw new StoreException("cannot migrate " + file + " to schema version " + (v + 1) + ": "
                        + e.getMessage(), e);
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    public int schemaVersion() throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery("PRAGMA user_version")) {
            return r.next() ? r.getInt(1) : 0;
        }
    }

    public Path file() {
        return file;
    }

    /**
     * For the stores of this package's users (inventory, audit, history, alerts); not for callers
     * outside them. The one connection is shared by the console's threads: a store holds the
     * monitor of this object around each statement or transaction, so transactions never interleave.
     */
    public Connection connection() {
        return connection;
    }

    public Optional<byte[]> meta(String key) {
        try (PreparedStatement s = connection.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
            s.setString(1, key);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(r.getBytes(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("read setting " + key, e);
        }
    }

    public void putMeta(String key, byte[] value) {
        try (PreparedStatement s = connection.prepareStatement(
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")) {
            s.setString(1, key);
            s.setBytes(2, value);
            s.executeUpdate();
        } catch (SQLException e) {
            throw failure("write setting " + key, e);
        }
    }

    public StoreException failure(String what, SQLException e) {
        return new StoreException("cannot " + what + " in " + file + ": " + e.getMessage(), e);
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw failure("close", e);
        }
    }
}
