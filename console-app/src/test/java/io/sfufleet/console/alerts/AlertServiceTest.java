package io.sfufleet.console.alerts;

import static io.sfufleet.console.alerts.AlertRulesEngineTest.info;
import static io.sfufleet.console.alerts.AlertRulesEngineTest.status;
import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.console.monitor.NodeHealth;
import io.sfufleet.console.store.ConsoleDatabase;
import io.sfufleet.model.api.NodeState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertServiceTest {
    @TempDir
    Path dir;

    @Test
    void raisesOnceClearsWhenGoneAndAnotherRunPicksUpWhatWasLeftOpen() {
        var down = List.of(status("a", NodeHealth.UNREACHABLE, null, List.of()),
                status("b", NodeHealth.UP, info(NodeState.running, true, 1, 1, null, 0), List.of()));
        var fine = List.of(status("a", NodeHealth.UP, info(NodeState.running, true, 1, 1, null, 0), List.of()),
                status("b", NodeHealth.UP, info(NodeState.running, true, 1, 1, null, 0), List.of()));
        try (ConsoleDatabase db = ConsoleDatabase.open(dir.resolve("c.db"))) {
            AlertService s = new AlertService(new AlertStore(db), new AlertRulesEngine(AlertRules.DEFAULTS));
            List<AlertService.Change> heard = new ArrayList<>();
            s.addListener(heard::add);
            assertThat(s.evaluate(down, 1000)).singleElement().satisfies(c -> {
                assertThat(c.raised()).isTrue();
                assertThat(c.alert().node()).isEqualTo("a");
            });
            assertThat(s.evaluate(down, 2000)).as("still holding: not raised again").isEmpty();
            assertThat(heard).hasSize(1);
            assertThat(s.active()).hasSize(1);
        }
        try (ConsoleDatabase db = ConsoleDatabase.open(dir.resolve("c.db"))) {
            AlertService s = new AlertService(new AlertStore(db), new AlertRulesEngine(AlertRules.DEFAULTS));
            assertThat(s.active()).as("left open by the last run").hasSize(1);
            assertThat(s.evaluate(fine, 3000)).singleElement().satisfies(c -> {
                assertThat(c.raised()).isFalse();
                assertThat(c.alert().clearedAtMillis()).isEqualTo(3000L);
            });
            assertThat(s.active()).isEmpty();
            assertThat(new AlertStore(db).latest(10)).singleElement().satisfies(a -> {
                assertThat(a.raisedAtMillis()).isEqualTo(1000L);
                assertThat(a.clearedAtMillis()).isEqualTo(3000L);
                assertThat(a.kind()).isEqualTo(AlertKind.NODE_UNREACHABLE);
            });
        }
    }

    @Test
    void aNodeRemovedFromTheFleetTakesItsAlertsWithIt() {
        try (ConsoleDatabase db = ConsoleDatabase.open(dir.resolve("c.db"))) {
            AlertService s = new AlertService(new AlertStore(db), new AlertRulesEngine(AlertRules.DEFAULTS));
            s.evaluate(List.of(status("a", NodeHealth.UNREACHABLE, null, List.of())), 1000);
            assertThat(s.evaluate(List.of(), 2000)).singleElement().satisfies(c -> assertThat(c.raised()).isFalse());
        }
    }
}
