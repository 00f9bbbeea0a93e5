package io.sfufleet.sfu.loadtest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.sfu.SfuNode;
import io.sfufleet.sfu.TestNodes;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The lt command line against a real node, and its answers to bad input. */
class LoadToolTest {
    @TempDir
    Path out;

    private record Outcome(int code, String out, String err) {
    }

    private static Outcome run(String... args) {
        CommandLine cl = LoadTool.commandLine();
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        cl.setOut(new PrintWriter(o));
        cl.setErr(new PrintWriter(e));
        int code = cl.execute(args);
        return new Outcome(code, o.toString(), e.toString());
    }

    @Test
    void runWritesTheReportForAScenarioAgainstANode() throws Exception {
        try (SfuNode node = TestNodes.start()) {
            Outcome r = run("run", "--url", "http://127.0.0.1:" + node.httpPort(),
                    "--api", "http://127.0.0.1:" + node.adminPort(), "--api-token", TestNodes.API_TOKEN,
                    "--join-secret", TestNodes.JOIN_SECRET, "--calls", "1", "--users-per-call", "2", "--unmuted", "2",
                    "--duration", "2s", "--ramp", "20", "--out", out.toString());
            assertThat(r.code()).as(r.out() + r.err()).isZero();
            assertThat(r.out()).contains("forwarded packets per server CPU-second", "report: ");
        }
        assertThat(Files.readString(out.resolve("report.md"))).contains("1 calls x 2 users, 2 unmuted");
    }

    @Test
    void badOptionsAreRefusedWithTheReason() {
        Outcome calls = run("run", "--calls", "0", "--out", out.toString());
        assertThat(calls.code()).isEqualTo(2);
        assertThat(calls.err()).contains("calls must be 1 to 2000");
        Outcome duration = run("run", "--duration", "soon");
        assertThat(duration.code()).isEqualTo(2);
        assertThat(duration.err()).contains("'soon' is not a duration");
        Outcome cap = run("run", "--calls", "100", "--users-per-call", "100");
        assertThat(cap.err()).contains("cap of 2000");
    }

    @Test
    void durationsReadAsPeopleWriteThem() {
        assertThat(LoadTool.duration("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(LoadTool.duration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(LoadTool.duration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(LoadTool.duration("PT1H")).isEqualTo(Duration.ofHours(1));
    }
}
