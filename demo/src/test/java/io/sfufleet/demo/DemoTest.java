package io.sfufleet.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The README's run command without a display: node process, participants, the CLI's live table, clean exit. */
class DemoTest {
    @Test
    void theHeadlessDemoShowsTheNodeUpWithItsParticipantsAndStopsByItself() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int code;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            code = new CommandLine(new Demo()).execute("--headless", "--duration", "8s");
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        original.println(out);
        assertThat(code).isZero();
        assertThat(out).contains("13 participants in 3 calls");
        // a table line of the live view: the node up, 3 calls and the 13 participants
        Matcher m = Pattern.compile("(?m)^local-demo\\s+UP\\s+\\S+\\s+\\S+\\s+\\S+\\s+\\S+\\s+\\S+\\s+\\d+\\s+3\\s+13$")
                .matcher(out);
        assertThat(m.find()).as("a live table line with the node up, 3 calls, 13 participants in:%n%s", out).isTrue();
        assertThat(ProcessHandle.allProcesses().filter(p -> p.info().arguments()
                .map(a -> String.join(" ", a).contains("io.sfufleet.sfu.Main") && String.join(" ", a).contains("-Xmx512m"))
                .orElse(false)).filter(p -> p.parent().map(pp -> pp.pid() == ProcessHandle.current().pid()).orElse(false))
                .count()).as("the node process it started is gone").isZero();
    }
}
