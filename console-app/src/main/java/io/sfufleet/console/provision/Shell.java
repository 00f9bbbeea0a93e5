package io.sfufleet.console.provision;

/** Quoting for the POSIX shell the SSH server runs commands in. */
public final class Shell {
    private Shell() {
    }

    /** One word, whatever it contains: single quotes, with each {@code '} closed, escaped and reopened. */
    public static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
