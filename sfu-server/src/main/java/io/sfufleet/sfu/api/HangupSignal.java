package io.sfufleet.sfu.api;

/**
 * SIGHUP rereads the configuration, as for most Unix daemons. Uses {@code sun.misc.Signal} (module
 * jdk.unsupported); where the platform or the JVM does not offer it, the node runs without it.
 */
public final class HangupSignal {
    private static final System.Logger LOG = System.getLogger(HangupSignal.class.getName());

    private HangupSignal() {
    }

    /**
     * Runs {@code onHangup} on each SIGHUP (on the JVM's signal thread: hand the work on). Process-wide:
     * call it once, from the command line entry, never from a node that shares its JVM.
     *
     * @return whether the handler is installed
     */
    public static boolean install(Runnable onHangup) {
        if (ignoredAtStart()) {
            // The JVM leaves a signal alone that was ignored when it started (nohup does that), and
            // sun.misc.Signal does not say so: the handler would be silently absent.
            LOG.log(System.Logger.Level.WARNING, "SIGHUP is ignored in this process (started under nohup?);"
                    + " reload through the admin API (POST /api/v1/reload)");
            return false;
        }
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), s -> onHangup.run());
            return true;
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            LOG.log(System.Logger.Level.INFO, "no SIGHUP on this platform ({0}); reload through the admin API",
                    e.toString());
            return false;
        }
    }

    /** Whether SIGHUP is in this process's ignored set (Linux: /proc/self/status, SigIgn bit 0); false where unknown. */
    static boolean ignoredAtStart() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:")) {
                    return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & 1L) != 0;
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux, or no /proc: assume the signal can be handled
        }
        return false;
    }
}
