package io.sfufleet.sfu.api;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.sfufleet.model.api.ApiError;
import io.sfufleet.model.api.ReloadResult;
import io.sfufleet.sfu.config.ConfigChange;
import io.sfufleet.sfu.config.ConfigException;
import io.sfufleet.sfu.config.ConfigSource;
import io.sfufleet.sfu.config.SfuConfig;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Rereads the node's configuration (the reload route and SIGHUP) and applies the keys that can
 * change while it runs. Loading resolves automatic values, which may look up the host name, so it
 * runs on a thread of its own, one reload at a time, never on an event loop.
 *
 * <p>What it reports: {@code applied}, the hot keys whose values differ from the ones in force;
 * {@code needsRestart}, the other keys whose values differ from the ones the node started with
 * (they stay listed on every reload until a restart).
 */
public final class ConfigReloader implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ConfigReloader.class.getName());

    private final ConfigSource source;
    private final SfuConfig started;
    private final List<Consumer<SfuConfig>> appliers = new CopyOnWriteArrayList<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "sfu-config-reload");
        t.setDaemon(true);
        return t;
    });
    /** The configuration whose hot values are in force; worker thread only. */
    private SfuConfig inForce;

    /**
     * @param source  where the configuration came from; its file is null when the node has none
     * @param started the configuration the node started with
     */
    public ConfigReloader(ConfigSource source, SfuConfig started) {
        this.source = source;
        this.started = started;
        this.inForce = started;
    }

    /**
     * Adds a part that puts hot values in force: it gets each newly loaded configuration that changes
     * a hot key, on the reload thread, and must not fail on a valid configuration.
     */
    public void onApply(Consumer<SfuConfig> applier) {
        appliers.add(applier);
    }

    /**
     * Rereads and applies. Fails with the API's 409 when there is no file to read, 422 when the
     * configuration is invalid (then nothing changes).
     */
    public CompletableFuture<ReloadResult> reload() {
        return CompletableFuture.supplyAsync(this::reloadNow, worker);
    }

    private ReloadResult reloadNow() {
        if (source == null || source.file() == null) {
            throw ApiException.conflict("the node was started without a configuration file (--config or SFU_CONFIG),"
                    + " so there is nothing to reread");
        }
        SfuConfig next;
        try {
            next = source.load();
        } catch (ConfigException e) {
            LOG.log(System.Logger.Level.WARNING, "reload of {0} refused, nothing changed: {1}", source.file(),
                    e.getMessage());
            throw new ApiException(HttpResponseStatus.UNPROCESSABLE_ENTITY, ApiError.INVALID_CONFIG,
                    e.getMessage() + "\nnothing was changed", e.problems().getFirst().key());
        }
        ConfigChange sinceApplied = ConfigChange.between(inForce, next);
        ConfigChange sinceStart = ConfigChange.between(started, next);
        if (!sinceApplied.applied().isEmpty()) {
            for (Consumer<SfuConfig> a : appliers) {
                a.accept(next);
            }
        }
        inForce = next;
        ReloadResult result = new ReloadResult(sinceApplied.applied(), sinceStart.needsRestart(),
                sinceApplied.applied().isEmpty() && sinceStart.needsRestart().isEmpty());
        LOG.log(System.Logger.Level.INFO, "reloaded {0}: {1}{2}", source.file(), sinceApplied,
                sinceStart.needsRestart().isEmpty() ? "" : "; waiting for a restart: " + sinceStart.needsRestart());
        return result;
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
