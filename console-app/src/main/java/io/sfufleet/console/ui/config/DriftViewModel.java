package io.sfufleet.console.ui.config;

import io.sfufleet.console.provision.config.ConfigService;
import io.sfufleet.console.ui.Dialogs;
import io.sfufleet.console.ui.Provisioning;
import io.sfufleet.console.ui.UiExecutor;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * "Check drift" on the Hosts screen: reads every host's sfu.toml over SSH (on a worker, audited per
 * host as config.drift) and hands each host's verdict to the screen (its Config column); a drifted
 * host's diff (from its file to what the console wrote) is kept to be shown.
 */
public final class DriftViewModel {
    public static final String DRIFTED = "DRIFTED";

    private final Provisioning p;
    private final UiExecutor executor;
    private final StringProperty status = new SimpleStringProperty("");
    private final Map<String, List<String>> diffs = new ConcurrentHashMap<>();

    public DriftViewModel(Provisioning provisioning, UiExecutor executor) {
        this.p = provisioning;
        this.executor = executor;
    }

    /** @param verdict called on the FX thread with each host and "in sync", {@link #DRIFTED}, … */
    public void check(List<String> names, BiConsumer<String, String> verdict) {
        if (names.isEmpty()) {
            status.set("no hosts to check");
            return;
        }
        status.set("checking the config of " + names.size() + " host(s)…");
        executor.submit("config drift", () -> p.configs().drift(names), reports -> {
            int drifted = 0;
            for (ConfigService.DriftReport r : reports) {
                String text = switch (r.status()) {
                    case IN_SYNC -> "in sync";
                    case DRIFTED -> DRIFTED;
                    case NOT_WRITTEN_BY_CONSOLE -> "not written by console";
                    case UNREACHABLE -> "unreachable";
                };
                verdict.accept(r.host(), text);
                if (r.status() == ConfigService.DriftStatus.DRIFTED) {
                    drifted++;
                    diffs.put(r.host(), ConfigEditorViewModel.describe(r.diff()));
                } else {
                    diffs.remove(r.host());
                }
                if (!r.message().isEmpty() && r.status() != ConfigService.DriftStatus.IN_SYNC) {
                    diffs.merge(r.host(), List.of(r.status().name().toLowerCase(Locale.ROOT) + ": " + r.message()),
                            (a, b) -> java.util.stream.Stream.concat(b.stream(), a.stream()).toList());
                }
            }
            status.set(drifted == 0 ? "no drift on " + reports.size() + " host(s)"
                    : drifted + " of " + reports.size() + " host(s) drifted: select one and \"Drift diff…\"");
        }, t -> {
            names.forEach(n -> verdict.accept(n, ""));
            status.set("the drift check failed: " + Dialogs.message(t));
        });
    }

    /** What the last check found on {@code host} (its diff when drifted); empty when nothing to show. */
    public List<String> details(String host) {
        return diffs.getOrDefault(host, List.of());
    }

    public StringProperty statusProperty() { return status; }
}
