package io.sfufleet.console.provision;

import io.sfufleet.console.fleet.Inventory;
import io.sfufleet.console.store.ConsoleDatabase;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code hosts} table: hosts to provision, with their SSH login and pinned host key. Passwords
 * and key passphrases are sealed by the inventory's cipher (the console passphrase), bound to the
 * host's name, like node tokens.
 */
public final class HostStore {
    /** Host names share the node names' rules: a provisioned host becomes the node of the same name. */
    public static final Pattern NAME = Inventory.NAME;
    /** An absolute path of plain characters: it goes into shell commands and config files. */
    public static final Pattern PREFIX = Pattern.compile("/[A-Za-z0-9._/-]{1,200}");
    private static final String COLUMNS = "id, name, address, ssh_port, ssh_user, auth, key_file, secret_sealed, "
            + "host_key_type, host_key_fingerprint, prefix, added_at_millis";

    private final ConsoleDatabase db;
    private final Inventory inventory;
    private final Clock clock;

    public HostStore(ConsoleDatabase db, Inventory inventory, Clock clock) {
        this.db = db;
        this.inventory = inventory;
        this.clock = clock;
    }

    /** What the operator gives to add a host. */
    public record NewHost(String name, String address, int sshPort, String user, HostAuth auth, String keyFile,
            String secret, String prefix) {
        public NewHost {
            if (name == null || !NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("host name must be 1 to 64 characters of [A-Za-z0-9._-], "
                        + "starting with a letter or digit, not " + name);
            }
            if (address == null || address.isBlank() || !address.matches("[A-Za-z0-9.:-]{1,253}")) {
                throw new IllegalArgumentException("host address must be an IP address or a DNS name, not " + address);
            }
            if (sshPort < 1 || sshPort > 65535) {
                throw new IllegalArgumentException("SSH port must be 1 to 65535, not " + sshPort);
            }
            if (user == null || !user.matches("[a-z_][a-z0-9_.-]{0,31}")) {
                throw new IllegalArgumentException("SSH user must be a POSIX user name ([a-z_][a-z0-9_.-]*), not "
                        + user);
            }
            if (auth == HostAuth.KEY && (keyFile == null || keyFile.isBlank())) {
                throw new IllegalArgumentException("key authentication needs a private key file (--key FILE)");
            }
            if (auth == HostAuth.PASSWORD && (secret == null || secret.isEmpty())) {
                throw new IllegalArgumentException("password authentication needs a password (--password-env VAR)");
            }
            if (auth == HostAuth.AGENT && (keyFile != null || secret != null)) {
                throw new IllegalArgumentException("agent authentication takes no key file, passphrase or password: "
                        + "the agent holds the keys");
            }
            if (auth == HostAuth.PASSWORD && keyFile != null) {
                throw new IllegalArgumentException("give either a key file or a password, not both");
            }
            if (prefix == null || !PREFIX.matcher(prefix).matches() || prefix.contains("..")) {
                throw new IllegalArgumentException("install prefix must be an absolute path of [A-Za-z0-9._/-] "
                        + "without '..', not " + prefix);
            }
        }
    }

    public HostEntry add(NewHost h) {
        byte[] sealed = h.secret() == null || h.secret().isEmpty() ? null
                : inventory.sealSecret(h.secret(), purpose(h.name()));
        synchronized (db) {
            if (find(h.name()).isPresent()) {
                throw new IllegalArgumentException("a host named " + h.name() + " is already in the inventory");
            }
            try (PreparedStatement s = db.connection().prepareStatement(
                    "INSERT INTO hosts (name, address, ssh_port, ssh_user, auth, key_file, secret_sealed, prefix,"
                            + " added_at_millis) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                s.setString(1, h.name());
                s.setString(2, h.address());
                s.setInt(3, h.sshPort());
                s.setString(4, h.user());
                s.setString(5, h.auth().name());
                s.setString(6, h.keyFile());
                s.setBytes(7, sealed);
                s.setString(8, h.prefix());
                s.setLong(9, clock.millis());
                s.executeUpdate();
            } catch (SQLException e) {
                throw db.failure("add host " + h.name(), e);
            }
            return find(h.name()).orElseThrow();
        }
    }

    /** Pins (or, after a checked change, re-pins) the host key the operator accepted. */
    public HostEntry pin(String name, HostKey key) {
        synchronized (db) {
            require(name);
            try (PreparedStatement s = db.connection().prepareStatement(
                    "UPDATE hosts SET host_key_type = ?, host_key_fingerprint = ? WHERE name = ?")) {
                s.setString(1, key.type());
                s.setString(2, key.fingerprint());
                s.setString(3, name);
                s.executeUpdate();
            } catch (SQLException e) {
                throw db.failure("pin the host key of " + name, e);
            }
            return require(name);
        }
    }

    public boolean remove(String name) {
        synchronized (db) {
            try (PreparedStatement s = db.connection().prepareStatement("DELETE FROM hosts WHERE name = ?")) {
                s.setString(1, name);
                return s.executeUpdate() > 0;
            } catch (SQLException e) {
                throw db.failure("remove host " + name, e);
            }
        }
    }

    public List<HostEntry> list() {
        synchronized (db) {
            try (PreparedStatement s = db.connection().prepareStatement(
                    "SELECT " + COLUMNS + " FROM hosts ORDER BY name"); ResultSet r = s.executeQuery()) {
                List<HostEntry> out = new ArrayList<>();
                while (r.next()) {
                    out.add(entry(r));
                }
                return out;
            } catch (SQLException e) {
                throw db.failure("list hosts", e);
            }
        }
    }

    public Optional<HostEntry> find(String name) {
        synchronized (db) {
            try (PreparedStatement s = db.connection().prepareStatement(
                    "SELECT " + COLUMNS + " FROM hosts WHERE name = ?")) {
                s.setString(1, name);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(entry(r)) : Optional.empty();
                }
            } catch (SQLException e) {
                throw db.failure("read host " + name, e);
            }
        }
    }

    public HostEntry require(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException(
                "no host named " + name + " in the inventory (see: hosts list)"));
    }

    private HostEntry entry(ResultSet r) throws SQLException {
        String name = r.getString(2);
        byte[] sealed = r.getBytes(8);
        String secret = sealed != null && inventory.canReadTokens() ? inventory.openSecret(sealed, purpose(name)) : null;
        return new HostEntry(r.getLong(1), name, r.getString(3), r.getInt(4), r.getString(5),
                HostAuth.valueOf(r.getString(6)), r.getString(7), secret, r.getString(9), r.getString(10),
                r.getString(11), r.getLong(12));
    }

    private static String purpose(String name) {
        return "host-ssh:" + name;
    }
}
