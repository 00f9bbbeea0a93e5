package io.sfufleet.console.ui.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sfufleet.console.TestConsole;
import io.sfufleet.console.alerts.AlertRules;
import io.sfufleet.console.monitor.ConsoleCore;
import io.sfufleet.console.monitor.MonitorSettings;
import io.sfufleet.console.provision.HostAuth;
import io.sfufleet.console.provision.HostStore;
import io.sfufleet.console.provision.SshdHost;
import io.sfufleet.console.ui.Provisioning;
import io.sfufleet.console.ui.UiExecutor;
import io.sfufleet.sfu.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The logs pane's view model following a log file over a real sshd on 127.0.70.2: the last lines,
 * new ones live, the bounded buffer, the filter, pause/resume, and stop ending the host's tail.
 */
class LogsViewModelTest {
    @TempDir
    Path tmp;
    private ConsoleCore core;
    private SshdHost sshd;
    /** Stands in for the FX thread: one thread runs every callback and touches the lists. */
    private final ExecutorService fx = Executors.newSingleThreadExecutor();
    private Provisioning p;
    private Path prefix;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(SshdHost.available(), "openssh-server is not installed (apt-get install -y openssh-server)");
        core = TestConsole.core(tmp, MonitorSettings.DEFAULTS, AlertRules.DEFAULTS);
        p = Provisioning.of(core, Duration.ofMinutes(1));
        sshd = SshdHost.create(tmp.resolve("sshd"), "127.0.70.2", FreePorts.tcp()).start();
        Path key = SshdHost.keygen(tmp.resolve("id"), "ed25519", "");
        sshd.authorize("root", key);
        prefix = Files.createDirectories(tmp.resolve("prefix"));
        p.hosts().add(new HostStore.NewHost("logs-a", sshd.address(), sshd.port(), "root", HostAuth.KEY,
                key.toString(), null, prefix.toString()));
        p.hosts().trust("logs-a", sshd.fingerprint(), false);
    }

    @AfterEach
    void tearDown() throws Exception {
        fx.shutdownNow();
        if (sshd != null) {
            sshd.close();
        }
        if (core != null) {
            core.close();
        }
    }

    /** Work on its own virtual thread (a tail blocks it until stopped), callbacks on the "FX" thread. */
    private final UiExecutor workers = new UiExecutor() {
        @Override
        public <T> void submit(String what, Callable<T> work, Consumer<T> ok, Consumer<Throwable> failed) {
            Thread.ofVirtual().start(() -> {
                try {
                    T r = work.call();
                    fx.execute(() -> ok.accept(r));
                } catch (Exception e) {
                    fx.execute(() -> failed.accept(e));
                }
            });
        }
    };

    @Test
    void followsFiltersPausesAndStopsTheRemoteTail() throws Exception {
        Path log = Files.createDirectories(prefix.resolve("log")).resolve("sfu-server.log");
        append(log, 1, 30);
        LogsViewModel vm = new LogsViewModel(p, workers, fx, "logs-a", 20);
        on(() -> vm.start(10));

        await("the last 10 lines", () -> get(() -> vm.lines().size() == 10 && vm.lines().get(9).equals("line 30")));
        assertThat(get(() -> vm.lines().get(0))).isEqualTo("line 21");

        // new lines arrive live; the buffer keeps the newest 20
        append(log, 31, 50);
        await("line 50", () -> get(() -> vm.lines().contains("line 50")));
        assertThat(get(vm::buffered)).hasSize(20).first().isEqualTo("line 31");
        assertThat(get(() -> List.copyOf(vm.lines()))).hasSize(20).doesNotContain("line 30");
        assertThat(get(() -> vm.statusProperty().get())).contains("30 lines").contains("oldest 10 dropped");

        // the filter narrows what is shown, the buffer keeps everything
        on(() -> vm.filterProperty().set("LINE 4"));
        assertThat(get(() -> List.copyOf(vm.lines()))).containsExactlyElementsOf(
                IntStream.rangeClosed(40, 49).mapToObj(i -> "line " + i).toList());
        on(() -> vm.filterProperty().set(""));

        // paused: lines still arrive and are kept, the shown list stands still until resumed
        on(() -> vm.pausedProperty().set(true));
        append(log, 51, 51);
        await("line 51 buffered", () -> get(() -> vm.buffered().contains("line 51")));
        assertThat(get(() -> List.copyOf(vm.lines()))).doesNotContain("line 51");
        on(() -> vm.pausedProperty().set(false));
        assertThat(get(() -> vm.lines().getLast())).isEqualTo("line 51");

        // stop: the worker ends and no tail is left on the host (there was one until now)
        assertThat(tailsOf(log)).as("the host's tail while following").isTrue();
        long t0 = System.nanoTime();
        vm.stop();
        await("the tail stopped", () -> get(() -> !vm.runningProperty().get()));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        await("no tail -F of the log left on the host", () -> !tailsOf(log));
        assertThat(get(() -> vm.statusProperty().get())).isEqualTo("stopped after 31 lines");
        System.out.println("logs pane tail stopped " + ms + " ms after Stop");
    }

    @Test
    void aHostWithoutALogSaysWhatToDo() throws Exception {
        LogsViewModel vm = new LogsViewModel(p, workers, fx, "logs-a", 100);
        on(() -> vm.start(10));
        await("the error", () -> get(() -> !vm.runningProperty().get()
                && vm.statusProperty().get().startsWith("cannot follow")));
        assertThat(get(() -> vm.statusProperty().get())).contains("no log on logs-a yet")
                .contains("sfu-console install logs-a");
    }

    private static boolean tailsOf(Path log) {
        return ProcessHandle.allProcesses().anyMatch(h -> h.info().commandLine()
                .filter(c -> c.contains("tail -n") && c.contains(log.toString())).isPresent());
    }

    private static void append(Path log, int from, int to) throws Exception {
        StringBuilder b = new StringBuilder();
        for (int i = from; i <= to; i++) {
            b.append("line ").append(i).append('\n');
        }
        Files.writeString(log, b, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private void on(Runnable r) throws Exception {
        fx.submit(r).get(30, TimeUnit.SECONDS);
    }

    private <T> T get(Callable<T> c) throws Exception {
        return fx.submit(c).get(30, TimeUnit.SECONDS);
    }

    private static void await(String what, Callable<Boolean> c) throws InterruptedException {
        BooleanSupplier s = () -> {
            try {
                return c.call();
            } catch (Exception e) {
                return false;
            }
        };
        TestConsole.await(what, 60, s);
    }
}
