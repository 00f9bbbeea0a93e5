package io.sfufleet.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sfufleet.console.fleet.Inventory;
import io.sfufleet.console.fleet.WrongPassphraseException;
import io.sfufleet.console.store.ConsoleDatabase;
import io.sfufleet.console.store.ConsolePaths;
import io.sfufleet.console.store.StoreException;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InventoryTest {
    @TempDir
    Path tmp;

    @Test
    void tokensRoundTripUnderTheRightPassphraseOnly() {
        Path file = tmp.resolve("c.db");
        try (ConsoleDatabase db = ConsoleDatabase.open(file)) {
            Inventory.open(db, "pw".toCharArray(), Clock.systemUTC()).add("a", "http://127.0.0.1:1", "secret-token");
        }
        try (ConsoleDatabase db = ConsoleDatabase.open(file)) {
            assertThat(db.schemaVersion()).isEqualTo(ConsoleDatabase.SCHEMA_VERSION);
            assertThat(Inventory.open(db, "pw".toCharArray(), Clock.systemUTC()).require("a").token())
                    .isEqualTo("secret-token");
            assertThat(Inventory.open(db, null, Clock.systemUTC()).list()).singleElement()
                    .satisfies(n -> assertThat(n.token()).isNull())
                    .satisfies(n -> assertThat(n.toString()).doesNotContain("secret"));
            assertThatThrownBy(() -> Inventory.open(db, "other".toCharArray(), Clock.systemUTC()))
                    .isInstanceOf(WrongPassphraseException.class).hasMessageContaining("wrong console passphrase");
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aDatabaseFromANewerConsoleIsRefused() throws Exception {
        Path file = tmp.resolve("new.db");
        try (ConsoleDatabase db = ConsoleDatabase.open(file); Statement s = db.connection().createStatement()) {
            s.execute("PRAGMA user_version = " + (ConsoleDatabase.SCHEMA_VERSION + 1));
        }
        assertThatThrownBy(() -> ConsoleDatabase.open(file)).isInstanceOf(StoreException.class)
                .hasMessageContaining("newer than this console");
    }

    @Test
    void theDefaultLocationFollowsXdg() {
        assertThat(ConsolePaths.defaultDatabase(Map.of("XDG_DATA_HOME", "/x/data"), "/home/u"))
                .isEqualTo(Path.of("/x/data/sfu-fleet/console.db"));
        assertThat(ConsolePaths.defaultDatabase(Map.of(), "/home/u"))
                .isEqualTo(Path.of("/home/u/.local/share/sfu-fleet/console.db"));
        assertThat(ConsolePaths.defaultDatabase(Map.of(ConsolePaths.DB_ENV, "/t/c.db"), "/home/u"))
                .isEqualTo(Path.of("/t/c.db"));
    }
}
