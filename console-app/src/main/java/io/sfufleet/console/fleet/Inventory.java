package io.sfufleet.console.fleet;

import io.sfufleet.console.store.ConsoleDatabase;
import io.sfufleet.console.store.StoreException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.AEADBadTagException;

/**
 * The nodes this console manages, in the console database. Tokens are stored only sealed by a
 * {@link TokenCipher} whose key comes from the console passphrase and the database's salt; a
 * known value sealed with the same key ({@code key_check}) tells a wrong passphrase apart at once.
 * Without a passphrase the inventory lists nodes but cannot add them or read their tokens.
 */
public final class Inventory {
    /** Node names: what the CLI and the GUI show and type. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final String SALT_KEY = "kdf_salt";
    private static final String ITERATIONS_KEY = "kdf_iterations";
    private static final String CHECK_KEY = "key_check";
    private static final String CHECK_PLAINTEXT = "sfu-fleet console key check";

    private final ConsoleDatabase db;
    private final TokenCipher cipher;
    private final Clock clock;

    private Inventory(ConsoleDatabase db, TokenCipher cipher, Clock clock) {
        this.db = db;
        this.cipher = cipher;
        this.clock = clock;
    }

    /**
     * @param passphrase null to open without one (no tokens); else checked against the database's
     *                   key check, which the first passphrase ever given creates
     * @throws WrongPassphraseException when it does not match
     */
    public static Inventory open(ConsoleDatabase db, char[] passphrase, Clock clock) {
        if (passphrase == null) {
            return new Inventory(db, null, clock);
        }
        SecureRandom random = new SecureRandom();
        byte[] salt = db.meta(SALT_KEY).orElse(null);
        int iterations;
        if (salt == null) {
            salt = new byte[TokenCipher.SALT_BYTES];
            random.nextBytes(salt);
            iterations = TokenCipher.DEFAULT_ITERATIONS;
        } else {
            iterations = db.meta(ITERATIONS_KEY).map(b -> ByteBuffer.wrap(b).getInt())
                    .orElse(TokenCipher.DEFAULT_ITERATIONS);
        }
        TokenCipher cipher = TokenCipher.derive(passphrase, salt, iterations, random);
        Optional<byte[]> check = db.meta(CHECK_KEY);
        if (check.isEmpty()) {
            db.putMeta(SALT_KEY, salt);
            db.putMeta(ITERATIONS_KEY, ByteBuffer.allocate(4).putInt(iterations).array());
            db.putMeta(CHECK_KEY, cipher.seal(CHECK_PLAINTEXT, CHECK_KEY));
        } else {
            try {
                if (!CHECK_PLAINTEXT.equals(cipher.open(check.get(), CHECK_KEY))) {
                    throw new AEADBadTagException("key check mismatch");
                }
            } catch (AEADBadTagException e) {
                throw new WrongPassphraseException("wrong console passphrase: it does not open the node tokens in "
                        + db.file() + " (use the passphrase this database was created with)");
            }
        }
        return new Inventory(db, cipher, clock);
    }

    public boolean canReadTokens() {
        return cipher != null;
    }

    /** Adds a node; its name must be new. */
    public NodeEntry add(String name, String apiUrl, String token) {
        synchronized (db) {
            requireName(name);
            requireCipher("add a node");
            long now = clock.millis();
            byte[] sealed = token == null || token.isEmpty() ? null : cipher.seal(token, associatedData(name));
            try (PreparedStatement s = db.connection().prepareStatement(
                    "INSERT INTO nodes (name, api_url, token_sealed, added_at_millis) VALUES (?, ?, ?, ?)")) {
                s.setString(1, name);
                s.setString(2, apiUrl);
                s.setBytes(3, sealed);
                s.setLong(4, now);
                s.executeUpdate();
            } catch (SQLException e) {
                if (find(name).isPresent()) {
                    throw new IllegalArgumentException("a node named " + name + " is already in the inventory");
                }
                throw db.failure("add node " + name, e);
            }
            return find(name).orElseThrow();
        }
    }

    /**
     * Changes a node's API address, and its token unless {@code token} is null (then the stored one
     * is kept). The name stays: it is what the audit trail and the history refer to.
     */
    public NodeEntry update(String name, String apiUrl, String token) {
        synchronized (db) {
            requireCipher("change a node");
            require(name);
            String sql = token == null ? "UPDATE nodes SET api_url = ? WHERE name = ?"
                    : "UPDATE nodes SET api_url = ?, token_sealed = ? WHERE name = ?";
            try (PreparedStatement s = db.connection().prepareStatement(sql)) {
                s.setString(1, apiUrl);
                if (token == null) {
                    s.setString(2, name);
                } else {
                    s.setBytes(2, token.isEmpty() ? null : cipher.seal(token, associatedData(name)));
                    s.setString(3, name);
                }
                s.executeUpdate();
            } catch (SQLException e) {
                throw db.failure("change node " + name, e);
            }
            return require(name);
        }
    }

    /** Removes a node; false when there was none of that name. */
    public boolean remove(String name) {
        synchronized (db) {
            try (PreparedStatement s = db.connection().prepareStatement("DELETE FROM nodes WHERE name = ?")) {
                s.setString(1, name);
                return s.executeUpdate() > 0;
            } catch (SQLException e) {
                throw db.failure("remove node " + name, e);
            }
        }
    }

    /** Every node, by name; tokens decrypted when a passphrase was given. */
    public List<NodeEntry> list() {
        synchronized (db) {
            try (PreparedStatement s = db.connection().prepareStatement(
                    "SELECT id, name, api_url, token_sealed, added_at_millis FROM nodes ORDER BY name")) {
                try (ResultSet r = s.executeQuery()) {
                    List<NodeEntry> out = new ArrayList<>();
                    while (r.next()) {
                        out.add(entry(r));
                    }
                    return out;
                }
            } catch (SQLException e) {
                throw db.failure("list nodes", e);
            }
        }
    }

    public Optional<NodeEntry> find(String name) {
        synchronized (db) {
            try (PreparedStatement s = db.connection().prepareStatement(
                    "SELECT id, name, api_url, token_sealed, added_at_millis FROM nodes WHERE name = ?")) {
                s.setString(1, name);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(entry(r)) : Optional.empty();
                }
            } catch (SQLException e) {
                throw db.failure("read node " + name, e);
            }
        }
    }

    /** The node, with its token; for actions on it. */
    public NodeEntry require(String name) {
        requireCipher("use node " + name);
        return find(name).orElseThrow(() -> new IllegalArgumentException(
                "no node named " + name + " in the inventory (see: nodes list)"));
    }

    /**
     * Seals another secret of the console (an SSH password or key passphrase) with the same key as
     * the node tokens; {@code purpose} is bound to it, so the sealed value cannot be moved elsewhere.
     */
    public byte[] sealSecret(String secret, String purpose) {
        requireCipher("store a secret");
        return cipher.seal(secret, "secret:" + purpose);
    }

    /** Opens what {@link #sealSecret} sealed for the same purpose. */
    public String openSecret(byte[] sealed, String purpose) {
        requireCipher("read a stored secret");
        try {
            return cipher.open(sealed, "secret:" + purpose);
        } catch (AEADBadTagException e) {
            throw new StoreException("the secret for " + purpose + " in " + db.file()
                    + " does not decrypt: the row was altered or copied from another database");
        }
    }

    private NodeEntry entry(ResultSet r) throws SQLException {
        String name = r.getString(2);
        byte[] sealed = r.getBytes(4);
        String token = null;
        if (sealed != null && cipher != null) {
            try {
                token = cipher.open(sealed, associatedData(name));
            } catch (AEADBadTagException e) {
                throw new StoreException("the token of node " + name + " in " + db.file()
                        + " does not decrypt: the row was altered or copied from another database");
            }
        }
        return new NodeEntry(r.getLong(1), name, r.getString(3), token, r.getLong(5));
    }

    private static String associatedData(String name) {
        return "node-token:" + name;
    }

    private void requireCipher(String what) {
        if (cipher == null) {
            throw new IllegalStateException("a console passphrase is needed to " + what
                    + " (set SFU_CONSOLE_PASSPHRASE or use --passphrase-env)");
        }
    }

    private static void requireName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("node name must be 1 to 64 characters of [A-Za-z0-9._-], "
                    + "starting with a letter or digit, not " + name);
        }
    }
}
