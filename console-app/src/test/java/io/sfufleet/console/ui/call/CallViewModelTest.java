package io.sfufleet.console.ui.call;

import static io.sfufleet.console.TestConsole.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.console.TestConsole;
import io.sfufleet.console.alerts.AlertRules;
import io.sfufleet.console.monitor.ConsoleCore;
import io.sfufleet.console.monitor.MonitorSettings;
import io.sfufleet.console.ui.UiExecutor;
import io.sfufleet.sfu.SfuNode;
import io.sfufleet.sfu.TestNodes;
import io.sfufleet.sfu.loadtest.client.SyntheticParticipant;
import io.sfufleet.model.api.MuteKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The call view model against a real call: participants, tracks, quality over time, mute, kick, end. */
class CallViewModelTest {
    @TempDir
    Path dir;

    @Test
    void showsParticipantsWithTracksAndQualityAndActsOnTheRealCall() throws Exception {
        try (SfuNode node = TestNodes.start();
             ConsoleCore core = TestConsole.core(dir, MonitorSettings.DEFAULTS, AlertRules.DEFAULTS).start();
             SyntheticParticipant alice = TestConsole.participant(node, "standup", "Alice");
             SyntheticParticipant bob = TestConsole.participant(node, "standup", "Bob");
             SyntheticParticipant carol = TestConsole.participant(node, "standup", "Carol")) {
            TestConsole.addNode(core, "n1", node);
            CallViewModel vm = new CallViewModel(core, UiExecutor.INLINE, "n1", "standup");
            await(() -> "three participants receiving media; now: " + vm.statusProperty().get() + " "
                    + vm.participants().stream().map(p -> p.nameProperty().get() + " down " + p.kbpsDownProperty().get()
                    + " kb/s, " + p.tracksProperty().get()).toList(), 30, () -> {
                vm.refresh();
                return vm.participants().size() == 3
                        && vm.participants().stream().allMatch(p -> p.kbpsDownProperty().get() > 0);
            });
            ParticipantRow bobRow = vm.participants().stream().filter(p -> p.id().equals(bob.participantId()))
                    .findFirst().orElseThrow();
            assertThat(bobRow.nameProperty().get()).isEqualTo("Bob");
            assertThat(bobRow.addressProperty().get()).startsWith("127.0.0.1:");
            assertThat(bobRow.candidateProperty().get()).isEqualTo("udp");

            vm.selectedProperty().set(bobRow);
            // Bob sends audio and camera and receives both from Alice and Carol
            assertThat(vm.tracks()).filteredOn(t -> t.direction().equals("sent")).hasSize(2);
            assertThat(vm.tracks()).filteredOn(t -> t.direction().equals("received")).hasSize(4);
            vm.refresh();
            assertThat(vm.selectedQualityProperty().get()).hasSizeGreaterThanOrEqualTo(2);

            List<String> done = new ArrayList<>();
            List<String> failed = new ArrayList<>();
            vm.mute(bobRow, MuteKind.audio, done::add, failed::add);
            assertThat(failed).isEmpty();
            await("Bob's audio is muted by the admin", 20, () -> {
                vm.refresh();
                return vm.tracks().stream().anyMatch(t -> t.direction().equals("sent") && t.kind().equals("audio")
                        && t.muted().equals("by admin"));
            });

            vm.kick(bobRow, done::add, failed::add);
            assertThat(failed).isEmpty();
            await("Bob is gone from the call and the table", 20, () -> {
                vm.refresh();
                return vm.participants().size() == 2 && vm.selectedProperty().get() == null;
            });
            await("the node's own API agrees", 20,
                    () -> core.fleet().monitor("n1").orElseThrow().client().call("standup").participants().size() == 2);

            vm.endCall(done::add, failed::add);
            assertThat(failed).isEmpty();
            await("the call has ended", 20, () -> {
                vm.refresh();
                return vm.statusProperty().get().equals("the call has ended");
            });
            assertThat(core.audit().latest(10)).extracting(e -> e.action() + " " + e.target() + " " + e.result())
                    .containsExactly("mute standup/" + bob.participantId() + " audio ok: muted 1 track",
                            "kick standup/" + bob.participantId() + " ok: kicked " + bob.participantId() + " from standup",
                            "end-call standup ok: ended call standup (2 participants)");
        }
    }
}
