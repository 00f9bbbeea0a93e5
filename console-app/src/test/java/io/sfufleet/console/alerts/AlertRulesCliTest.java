package io.sfufleet.console.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.console.audit.AuditLog;
import io.sfufleet.console.cli.ConsoleCli;
import io.sfufleet.console.store.ConsoleDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Thresholds set with the CLI are what every console on the database judges with; bad ones are refused. */
class AlertRulesCliTest {
    @TempDir
    Path dir;

    private String cli(String... args) {
        StringWriter out = new StringWriter();
        String[] all = new String[args.length + 2];
        all[0] = "--db";
        all[1] = dir.resolve("c.db").toString();
        System.arraycopy(args, 0, all, 2, args.length);
        int code = new ConsoleCli(Map.of(), "tester", Clock.systemUTC(), io.sfufleet.console.node.NodeClient.newHttpClient())
                .run(new PrintWriter(out), new PrintWriter(out), all);
        return code + " " + out;
    }

    @Test
    void setShowAndRefuse() {
        assertThat(cli("alert-rules")).isEqualTo("0 cpu 80.0 %, loss 5.0 %, jitter 30.0 ms, drain grace 10 s\n");
        assertThat(cli("alert-rules", "--cpu", "65", "--drain-grace", "2m"))
                .isEqualTo("0 cpu 65.0 %, loss 5.0 %, jitter 30.0 ms, drain grace 120 s\n");
        assertThat(cli("alert-rules", "--loss", "150")).startsWith("2 ").contains("lossPercent must be in (0, 100]");
        try (ConsoleDatabase db = ConsoleDatabase.open(dir.resolve("c.db"))) {
            assertThat(AlertRulesStore.load(db)).isEqualTo(new AlertRules(65, 5, 30, Duration.ofMinutes(2)));
            assertThat(new AuditLog(db, Clock.systemUTC(), "x").latest(5))
                    .extracting(e -> e.action() + " " + e.result().split(":")[0])
                    .containsExactly("alert-rules.set ok", "alert-rules.set error");
        }
    }
}
