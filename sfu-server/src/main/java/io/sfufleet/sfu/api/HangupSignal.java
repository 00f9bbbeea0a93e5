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
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), s -> onHangup.run());
            return true;
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            LOG.log(System.Logger.Level.INFO, "no SIGHUP on this platform ({0}); reload through the admin API",
                    e.toString());
            return false;
        }
    }
}
