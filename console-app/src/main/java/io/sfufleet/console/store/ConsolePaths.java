package io.sfufleet.console.store;

import java.nio.file.Path;
import java.util.Map;

/** Where the console keeps its database: {@code $XDG_DATA_HOME/sfu-fleet/console.db}, else under {@code ~/.local/share}. */
public final class ConsolePaths {
    /** Environment variable that names the database file outright (tests, several inventories). */
    public static final String DB_ENV = "SFU_CONSOLE_DB";

    private ConsolePaths() {
    }

    public static Path defaultDatabase(Map<String, String> env, String userHome) {
        String explicit = env.get(DB_ENV);
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String xdg = env.get("XDG_DATA_HOME");
        Path data = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
                ? Path.of(xdg)
                : Path.of(userHome, ".local", "share");
        return data.resolve("sfu-fleet").resolve("console.db");
    }
}
