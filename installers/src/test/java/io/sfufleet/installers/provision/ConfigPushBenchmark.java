package io.sfufleet.installers.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sfufleet.console.provision.SshdHost;
import io.sfufleet.console.provision.config.ConfigService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The figure "time to push a config to 10 hosts in parallel": N real sshd hosts on
 * 127.0.10.11.., each with a node installed from the real bundle, then timed pushes of a hot key
 * (reload) with N workers and with one, and of a restart key with N workers. Not part of the test
 * suite (surefire does not pick up *Benchmark): run it with bench/config-push.sh.
 */
class ConfigPushBenchmark {
    @TempDir
    Path tmp;

    @Test
    void pushToManyHosts() throws Exception {
        assumeTrue(SshdHost.available(), "openssh-server is not installed (apt-get install -y openssh-server)");
        int n = Integer.getInteger("bench.hosts", 10);
        var report = new StringBuilder();
        try (TestFleet f = new TestFleet(tmp)) {
            List<String> names = new ArrayList<>();
            long t0 = System.nanoTime();
            // installs three at a time: only the set-up, not what is measured
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                var installs = new ArrayList<Future<?>>();
                for (int i = 0; i < n; i++) {
                    String name = "bench-" + (i + 1);
                    names.add(name);
                    var spec = f.host(name, "127.0.10." + (11 + i));
                    installs.add(pool.submit(() -> {
                        f.install(name, spec);
                        return null;
                    }));
                }
                for (Future<?> i : installs) {
                    i.get();
                }
            } finally {
                pool.shutdownNow();
            }
            line(report, n + " hosts installed in " + (System.nanoTime() - t0) / 1_000_000 + " ms (set-up, 3 at a time)");
            ConfigService configs = f.configs(Duration.ofMinutes(5));

            run(report, configs, names, n, "hot key (limits.max_calls), reload", "limits.max_calls=500");
            run(report, configs, names, 1, "hot key (limits.max_calls), reload", "limits.max_calls=600");
            
            for (int i = 0; i < n; i++) {
                configs.set(names.get(i), List.of("media.udp_port=" + f.ports.udpAndTcp("127.0.10." + (11 + i))));
            }
            run(report, configs, names, n, "restart key (media.udp_port), restart + /readyz", null);
        }
        Path out = Path.of(System.getProperty("bench.out", "target/config-push.txt"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, report);
    }

    private static void run(StringBuilder report, ConfigService configs, List<String> names, int parallel, String what,
            String assignment) {
        if (assignment != null) {
            for (String name : names) {
                configs.set(name, List.of(assignment));
            }
        }
        long t0 = System.nanoTime();
        List<ConfigService.PushResult> results = configs.push(names, parallel, ConfigService.PushProgress.none());
        long total = (System.nanoTime() - t0) / 1_000_000;
        line(report, "");
        line(report, Instant.now() + "  " + what + ", " + names.size() + " hosts, --parallel " + parallel);
        long max = 0;
        long sum = 0;
        for (ConfigService.PushResult r : results) {
            line(report, String.format("  %-9s %-9s %6d ms  %s", r.host(), r.outcome(), r.millis(), r.message()));
            max = Math.max(max, r.millis());
            sum += r.millis();
        }
        line(report, String.format("  total %d ms (slowest host %d ms, mean %d ms)", total, max, sum / results.size()));
        assertThat(results).allSatisfy(r -> assertThat(r.outcome()).as(r.host() + ": " + r.message())
                .isIn(ConfigService.Outcome.RELOADED, ConfigService.Outcome.RESTARTED));
    }

    private static void line(StringBuilder report, String s) {
        report.append(s).append('\n');
        System.out.println(s);
    }
}
