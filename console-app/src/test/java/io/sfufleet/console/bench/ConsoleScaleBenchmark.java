package io.sfufleet.console.bench;

import io.sfufleet.console.alerts.AlertRules;
import io.sfufleet.console.fleet.Inventory;
import io.sfufleet.console.monitor.ConsoleCore;
import io.sfufleet.console.monitor.MonitorSettings;
import io.sfufleet.console.store.ConsoleDatabase;
import io.sfufleet.console.ui.ConsoleApp;
import io.sfufleet.console.ui.FxUiExecutor;
import io.sfufleet.console.ui.MainView;
import io.sfufleet.console.ui.Pulse;
import io.sfufleet.console.ui.call.CallView;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javafx.animation.AnimationTimer;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Tab;
import javafx.stage.Stage;
import javafx.util.Duration;

/**
 * The console at fleet scale (issue 4's performance goal): a {@link SimulatedFleet} of 100 nodes x
 * 10 calls x 10 participants in a process of its own, and in this process the real console (its
 * core on a temporary database, the real {@link MainView} in a real window), measured for a fixed
 * time with the fleet tab showing, then with a node tab open, then with a call tab open and a
 * participant selected. Run it with {@code bench/console-scale.sh}; it prints what it measured and
 * how, and exits by itself.
 *
 * <p>Measured: frames per second (an {@link AnimationTimer} counts JavaFX pulses, so the scene keeps
 * asking for frames as an animation would; the worst one-second window and the longest gap
 * between two frames show stutter), the time each {@link Pulse#beat()} takes on the FX thread, the
 * console's resident memory ({@code VmRSS} of {@code /proc/self/status} every 250 ms) and its CPU
 * (process CPU time over the window, in cores; the FX thread's share too).
 */
public final class ConsoleScaleBenchmark {
    private static final String PASSPHRASE = "console scale benchmark";
    private static final long SECOND = 1_000_000_000L;

    private final Map<String, Integer> opts;
    private final PrintStream out = System.out;
    private final List<Phase> phases = new ArrayList<>();
    private volatile Phase current;
    private volatile boolean done;
    private long fxThreadId = -1;
    private long renderThreadId = -1;

    private Process simulator;
    private ConsoleCore core;
    private MainView main;
    private Stage stage;
    private Timeline beats;
    private AnimationTimer frames;

    private ConsoleScaleBenchmark(Map<String, Integer> opts) {
        this.opts = opts;
    }

    /** What one measurement window saw. Frames and beats are written on the FX thread, RSS by the sampler. */
    private static final class Phase {
        final String name;
        final long[] frameNanos = new long[200_000];
        int frameCount;
        final List<Double> beatMillis = new ArrayList<>();
        final List<Long> rssBytes = new ArrayList<>();
        long startNanos;
        long endNanos;
        long cpuStart;
        long cpuEnd;
        long fxCpuStart;
        long fxCpuEnd;
        long renderCpuStart;
        long renderCpuEnd;
        long simCpuStart;
        long simCpuEnd;
        long gcCountStart;
        long gcCountEnd;
        long gcMillisStart;
        long gcMillisEnd;
        String seen;

        Phase(String name) {
            this.name = name;
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, Integer> opts = new HashMap<>(Map.of("--seconds", 60, "--warmup", 15, "--nodes", 100,
                "--calls", 10, "--participants", 10));
        for (int i = 0; i < args.length; i++) {
            if (!opts.containsKey(args[i]) || i + 1 == args.length) {
                System.err.println("usage: ConsoleScaleBenchmark [--seconds S] [--warmup S] [--nodes N] [--calls C]"
                        + " [--participants P] (unknown or incomplete option: " + args[i] + ")");
                System.exit(2);
            }
            try {
                opts.put(args[i], Integer.parseInt(args[++i]));
            } catch (NumberFormatException e) {
                System.err.println("ConsoleScaleBenchmark: " + args[i - 1] + " needs a whole number, not " + args[i]);
                System.exit(2);
            }
        }
        int status;
        ConsoleScaleBenchmark b = new ConsoleScaleBenchmark(opts);
        try {
            b.run();
            status = 0;
        } catch (Exception | AssertionError e) {
            System.err.println("ConsoleScaleBenchmark failed: " + e);
            e.printStackTrace(System.err);
            status = 1;
        } finally {
            b.shutDown();
        }
        // JavaFX and OkHttp leave non-daemon threads behind on some paths: the run is over either way
        System.exit(status);
    }

    private void run() throws Exception {
        int nodes = opts.get("--nodes");
        int calls = opts.get("--calls");
        int perCall = opts.get("--participants");
        int seconds = opts.get("--seconds");
        int warmup = opts.get("--warmup");
        String load0 = loadAverage();

        Map<String, Integer> ports = startSimulator(nodes, calls, perCall);
        Path dir = Files.createTempDirectory("console-scale-");
        ConsoleDatabase db = ConsoleDatabase.open(dir.resolve("console.db"));
        Inventory inventory = Inventory.open(db, PASSPHRASE.toCharArray(), Clock.systemUTC());
        for (var e : ports.entrySet()) {
            inventory.add(e.getKey(), "http://127.0.0.1:" + e.getValue(), SimulatedFleet.TOKEN);
        }
        core = new ConsoleCore(db, inventory, "benchmark", Clock.systemUTC(), MonitorSettings.DEFAULTS,
                AlertRules.DEFAULTS).start();

        CountDownLatch fxUp = new CountDownLatch(1);
        Platform.startup(fxUp::countDown);
        if (!fxUp.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("JavaFX did not start within 60 s");
        }
        Pulse pulse = new Pulse(Duration.seconds(1));
        fx(() -> {
            fxThreadId = Thread.currentThread().threadId();
            main = new MainView(core, new FxUiExecutor(core.workers()), pulse);
            Scene scene = new Scene(main, 1280, 800);
            scene.getStylesheets().add(ConsoleApp.class.getResource(ConsoleApp.STYLESHEET).toExternalForm());
            stage = new Stage();
            stage.setTitle("SFU fleet console: scale benchmark against a SIMULATED fleet");
            stage.setScene(scene);
            stage.show();
            // ConsoleApp plays the pulse's own timeline; this one does the same, timing each beat
            beats = new Timeline(new KeyFrame(Duration.seconds(1), e -> timedBeat(pulse)));
            beats.setCycleCount(Timeline.INDEFINITE);
            beats.play();
            frames = new AnimationTimer() {
                @Override
                public void handle(long now) {
                    Phase p = current;
                    if (p != null && p.frameCount < p.frameNanos.length) {
                        p.frameNanos[p.frameCount++] = System.nanoTime();
                    }
                }
            };
            frames.start();
            return null;
        });
        Thread sampler = Thread.ofPlatform().daemon().name("rss-sampler").start(this::sampleRss);

        int participants = nodes * calls * perCall;
        long deadline = System.nanoTime() + 180 * SECOND;
        while (!fx(() -> main.fleetViewModel().nodesUpProperty().get() == nodes
                && main.fleetViewModel().participantsProperty().get() == participants)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the fleet table did not show " + nodes + " nodes up with " + participants
                        + " participants within 180 s: " + fleetLine());
            }
            Thread.sleep(250);
        }
        out.println("console shows the whole simulated fleet: " + fleetLine());
        // JavaFX draws the scene on its own thread (Prism's renderer): its CPU is reported apart
        renderThreadId = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("QuantumRenderer")).mapToLong(Thread::threadId).findFirst().orElse(-1);
        Thread.sleep(warmup * 1000L);
        measure("fleet tab", seconds);

        String node = SimulatedFigures.nodeName(1);
        String call = SimulatedFigures.callId(0);
        fx(() -> {
            main.openNode(node);
            return null;
        });
        Thread.sleep(5000);
        measure("+ node tab (" + node + ", live 5 min charts)", seconds);

        fx(() -> {
            main.openCall(node, call);
            return null;
        });
        deadline = System.nanoTime() + 60 * SECOND;
        while (!fx(() -> callView().participantTable().getItems().size() == perCall)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the call tab did not show " + perCall + " participants within 60 s");
            }
            Thread.sleep(250);
        }
        fx(() -> {
            callView().participantTable().getSelectionModel().select(0);
            return null;
        });
        Thread.sleep(5000);
        measure("+ call tab (" + call + ", 1 participant selected)", seconds);
        done = true;
        sampler.join(5000);
        report(seconds, warmup, load0, loadAverage());
    }

    private CallView callView() {
        Tab t = main.tabs().getSelectionModel().getSelectedItem();
        if (t != null && t.getContent() instanceof CallView cv) {
            return cv;
        }
        throw new IllegalStateException("the selected tab is not a call");
    }

    private String fleetLine() throws Exception {
        return fx(() -> String.format(Locale.ROOT, "%d nodes, %d up, %d calls, %d participants",
                main.fleetViewModel().nodesProperty().get(), main.fleetViewModel().nodesUpProperty().get(),
                main.fleetViewModel().callsProperty().get(), main.fleetViewModel().participantsProperty().get()));
    }

    private void timedBeat(Pulse pulse) {
        long t0 = System.nanoTime();
        pulse.beat();
        double ms = (System.nanoTime() - t0) / 1e6;
        Phase p = current;
        if (p != null) {
            p.beatMillis.add(ms);
        }
    }

    private void measure(String name, int seconds) throws Exception {
        Phase p = new Phase(name);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        p.cpuStart = os.getProcessCpuTime();
        p.fxCpuStart = threads.getThreadCpuTime(fxThreadId);
        p.renderCpuStart = renderThreadId < 0 ? 0 : threads.getThreadCpuTime(renderThreadId);
        p.simCpuStart = simulatorCpuNanos();
        p.gcCountStart = gcCount();
        p.gcMillisStart = gcMillis();
        p.startNanos = System.nanoTime();
        current = p;
        out.printf(Locale.ROOT, "%s  measuring \"%s\" for %d s%n", Instant.now(), name, seconds);
        long end = p.startNanos + seconds * SECOND;
        while (System.nanoTime() < end) {
            Thread.sleep(Math.max(1, Math.min(1000, (end - System.nanoTime()) / 1_000_000)));
        }
        current = null;
        p.endNanos = System.nanoTime();
        p.cpuEnd = os.getProcessCpuTime();
        p.fxCpuEnd = threads.getThreadCpuTime(fxThreadId);
        p.renderCpuEnd = renderThreadId < 0 ? 0 : threads.getThreadCpuTime(renderThreadId);
        p.simCpuEnd = simulatorCpuNanos();
        p.gcCountEnd = gcCount();
        p.gcMillisEnd = gcMillis();
        p.seen = fleetLine(); // also a barrier: the FX thread has stopped writing to p
        phases.add(p);
    }

    private void sampleRss() {
        while (!done) {
            Phase p = current;
            long rss = rssBytes();
            if (p != null && rss > 0) {
                synchronized (p.rssBytes) {
                    p.rssBytes.add(rss);
                }
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    static long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    private long simulatorCpuNanos() {
        return simulator == null ? 0
                : simulator.toHandle().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }

    private static long gcCount() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Starts the simulated fleet as a child process and reads its node ports. */
    private Map<String, Integer> startSimulator(int nodes, int calls, int perCall) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        simulator = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                SimulatedFleet.class.getName(), "--nodes", String.valueOf(nodes), "--calls", String.valueOf(calls),
                "--participants", String.valueOf(perCall), "--max-seconds", "3600")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(simulator.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            try {
                return r.readLine();
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the simulator's output", e);
            }
        });
        String line = ready.get(60, TimeUnit.SECONDS);
        if (line == null || !line.startsWith("READY ")) {
            throw new IllegalStateException("the simulated fleet did not start: " + line);
        }
        // the rest of its output (its closing figures) goes to ours
        Thread.ofPlatform().daemon().start(() -> r.lines().forEach(out::println));
        Map<String, Integer> ports = new java.util.TreeMap<>();
        for (String pair : line.substring(6).split(" ")) {
            int eq = pair.indexOf('=');
            ports.put(pair.substring(0, eq), Integer.parseInt(pair.substring(eq + 1)));
        }
        if (ports.size() != nodes) {
            throw new IllegalStateException("the simulator announced " + ports.size() + " nodes, not " + nodes);
        }
        return ports;
    }

    private void shutDown() {
        done = true;
        try {
            if (stage != null) {
                fx(() -> {
                    frames.stop();
                    beats.stop();
                    stage.close();
                    return null;
                });
            }
        } catch (Exception e) {
            System.err.println("closing the window: " + e);
        }
        if (core != null) {
            core.close();
        }
        Platform.exit();
        if (simulator != null) {
            try {
                simulator.getOutputStream().close(); // the simulator stops at the end of its input
                if (!simulator.waitFor(10, TimeUnit.SECONDS)) {
                    simulator.destroy();
                    simulator.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (IOException | InterruptedException e) {
                simulator.destroy();
            }
        }
    }

    private static <T> T fx(Callable<T> c) throws Exception {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Platform.runLater(() -> {
            try {
                result.set(c.call());
            } catch (Exception e) {
                failure.set(e);
            } finally {
                done.countDown();
            }
        });
        if (!done.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the FX thread did not answer within 60 s");
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return result.get();
    }

    // ------------------------------------------------------------------ report

    private void report(int seconds, int warmup, String load0, String load1) {
        Runtime rt = Runtime.getRuntime();
        out.println();
        out.println("Console at fleet scale: " + opts.get("--nodes") + " simulated nodes x " + opts.get("--calls")
                + " calls x " + opts.get("--participants") + " participants, " + seconds + " s per phase after "
                + warmup + " s warm-up (and 5 s after opening each tab)");
        out.printf(Locale.ROOT, "Java %s, JavaFX %s, glass %s, prism.order %s, window 1280x800, %d CPUs, max heap %d MiB%n",
                System.getProperty("java.runtime.version"), System.getProperty("javafx.runtime.version"),
                System.getProperty("glass.platform", "default (gtk)"), System.getProperty("prism.order", "default"),
                rt.availableProcessors(), rt.maxMemory() >> 20);
        out.println("load average before: " + load0 + ", after: " + load1);
        out.println();
        out.println("| phase | frames/s | worst 1 s window | longest frame gap | beat p50 / p99 / max | RSS mean / max |"
                + " console CPU | FX thread CPU | renderer CPU | GC | simulator CPU |");
        out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        for (Phase p : phases) {
            double secs = (p.endNanos - p.startNanos) / 1e9;
            long[] f = Arrays.copyOf(p.frameNanos, p.frameCount);
            double fps = f.length / secs;
            int worst = worstWindow(f, p.startNanos, p.endNanos);
            double gap = longestGap(f, p.startNanos, p.endNanos) / 1e6;
            double[] b = p.beatMillis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            long[] rss;
            synchronized (p.rssBytes) {
                rss = p.rssBytes.stream().mapToLong(Long::longValue).toArray();
            }
            out.printf(Locale.ROOT, "| %s | %.1f | %d | %.0f ms | %.1f / %.1f / %.1f ms | %.0f / %.0f MiB | %.2f cores"
                            + " | %.2f cores | %.2f cores | %d collections, %d ms | %.2f cores |%n",
                    p.name, fps, worst, gap, pct(b, 50), pct(b, 99), b.length == 0 ? 0 : b[b.length - 1],
                    Arrays.stream(rss).average().orElse(0) / (1 << 20),
                    Arrays.stream(rss).max().orElse(0) / (double) (1 << 20),
                    (p.cpuEnd - p.cpuStart) / 1e9 / secs, (p.fxCpuEnd - p.fxCpuStart) / 1e9 / secs,
                    (p.renderCpuEnd - p.renderCpuStart) / 1e9 / secs,
                    p.gcCountEnd - p.gcCountStart, p.gcMillisEnd - p.gcMillisStart,
                    (p.simCpuEnd - p.simCpuStart) / 1e9 / secs);
        }
        out.println();
        for (Phase p : phases) {
            out.println("at the end of \"" + p.name + "\" the fleet table showed " + p.seen + "; beats measured: "
                    + p.beatMillis.size());
        }
        out.println();
        out.println("How: frames = JavaFX pulses counted by an AnimationTimer (it keeps pulses coming, as an animation"
                + " would; JavaFX caps them at 60/s); worst 1 s window = fewest frames in any 1 s window sliding in"
                + " 100 ms steps; beat = Pulse.beat() on the FX thread (every open screen applies the latest"
                + " snapshots), timed by the benchmark's 1 s timeline that stands in for Pulse.start(); RSS = VmRSS"
                + " of /proc/self/status every 250 ms; CPU = process (FX thread, Prism renderer thread) CPU time over"
                + " the phase / wall time (an X server's own drawing is not in it); the simulator runs in its own process and is not counted in the console's figures.");
        boolean fpsOk = phases.stream().allMatch(p -> p.frameCount / ((p.endNanos - p.startNanos) / 1e9) >= 30);
        boolean worstOk = phases.stream().allMatch(p -> worstWindow(Arrays.copyOf(p.frameNanos, p.frameCount),
                p.startNanos, p.endNanos) >= 30);
        boolean rssOk = phases.stream().allMatch(p -> {
            synchronized (p.rssBytes) {
                return p.rssBytes.stream().allMatch(r -> r <= 400L << 20);
            }
        });
        boolean cpuOk = phases.stream().allMatch(p -> (p.cpuEnd - p.cpuStart) / 1e9 / ((p.endNanos - p.startNanos) / 1e9) <= 1.0);
        out.printf("Goals: >= 30 frames/s on average %s, in every 1 s window %s; RSS <= 400 MiB %s; CPU <= 1 core %s%n",
                verdict(fpsOk), verdict(worstOk), verdict(rssOk), verdict(cpuOk));
    }

    private static String verdict(boolean ok) {
        return ok ? "MET" : "MISSED";
    }

    private static double pct(double[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int k = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, k))];
    }

    /** Fewest frames in any one-second window inside [start, end], windows starting every 100 ms. */
    static int worstWindow(long[] frameNanos, long start, long end) {
        int worst = Integer.MAX_VALUE;
        int lo = 0;
        int hi = 0;
        for (long w = start; w + SECOND <= end; w += SECOND / 10) {
            while (lo < frameNanos.length && frameNanos[lo] < w) {
                lo++;
            }
            if (hi < lo) {
                hi = lo;
            }
            while (hi < frameNanos.length && frameNanos[hi] < w + SECOND) {
                hi++;
            }
            worst = Math.min(worst, hi - lo);
        }
        return worst == Integer.MAX_VALUE ? 0 : worst;
    }

    /** The longest time without a frame inside [start, end], the window's edges included. */
    static long longestGap(long[] frameNanos, long start, long end) {
        long prev = start;
        long gap = 0;
        for (long f : frameNanos) {
            gap = Math.max(gap, f - prev);
            prev = f;
        }
        return Math.max(gap, end - prev);
    }
}
