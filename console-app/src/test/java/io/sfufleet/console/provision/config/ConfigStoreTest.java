package io.sfufleet.console.provision.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.console.fleet.Inventory;
import io.sfufleet.console.provision.HostAuth;
import io.sfufleet.console.provision.HostEntry;
import io.sfufleet.console.provision.HostStore;
import io.sfufleet.console.store.ConsoleDatabase;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host_configs table in a real SQLite file: desired and written configs survive a reopen and go with their host. */
class ConfigStoreTest {
    @TempDir
    Path tmp;

    @Test
    void desiredAndWrittenConfigsAreKeptPerHostAndRemovedWithIt() throws Exception {
        Path file = tmp.resolve("console.db");
        long id;
        try (ConsoleDatabase db = ConsoleDatabase.open(file)) {
            HostStore hosts = new HostStore(db, Inventory.open(db, "pass".toCharArray(), Clock.systemUTC()),
                    Clock.systemUTC());
            HostEntry h = hosts.add(new HostStore.NewHost("edge-a", "127.0.10.1", 22, "root", HostAuth.KEY,
                    tmp.resolve("id").toString(), null, "/opt/sfu"));
            id = h.id();
            ConfigStore store = new ConfigStore(db, Clock.systemUTC());
            assertThat(store.desired(id)).isEmpty();
            assertThat(store.written(id)).isEmpty();

            // an install records what it wrote: it also becomes the desired config
            store.recordWritten(id, "[limits]\nmax_calls = 1\n");
            assertThat(store.desired(id)).contains("[limits]\nmax_calls = 1\n");
            store.saveDesired(id, "[limits]\nmax_calls = 2\n");
            assertThat(store.desired(id)).contains("[limits]\nmax_calls = 2\n");
            assertThat(store.written(id).orElseThrow().toml()).isEqualTo("[limits]\nmax_calls = 1\n");
        }
        try (ConsoleDatabase db = ConsoleDatabase.open(file)) {
            ConfigStore store = new ConfigStore(db, Clock.systemUTC());
            ConfigStore.Written w = store.written(id).orElseThrow();
            // as sha256sum prints it for the same bytes
            assertThat(w.sha256()).isEqualTo(ConfigStore.sha256("[limits]\nmax_calls = 1\n"));
            assertThat(ConfigStore.sha256("")).isEqualTo(
                    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
            new HostStore(db, Inventory.open(db, "pass".toCharArray(), Clock.systemUTC()), Clock.systemUTC())
                    .remove("edge-a");
            assertThat(store.desired(id)).isEmpty();
            assertThat(store.written(id)).isEmpty();
        }
    }
}
