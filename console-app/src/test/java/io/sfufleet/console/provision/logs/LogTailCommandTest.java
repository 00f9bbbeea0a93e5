package io.sfufleet.console.provision.logs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The commands the tail runs; the reading itself is tested against a real node (installers' ProvisionOpsTest). */
class LogTailCommandTest {
    @Test
    void systemdNodesReadTheJournalOthersTheLogFile() {
        LogTail.Source journal = new LogTail.Source(LogTail.Kind.JOURNAL, "journalctl -u sfu-server");
        assertThat(LogTail.command(journal, 200, false))
                .isEqualTo("journalctl -u sfu-server --no-pager -q -o short-iso -n 200");
        LogTail.Source file = new LogTail.Source(LogTail.Kind.FILE, "/opt/sfu/log/sfu-server.log");
        assertThat(LogTail.command(file, 10, false)).isEqualTo("tail -n 10 '/opt/sfu/log/sfu-server.log'");
    }

    @Test
    void aFollowingReadEndsWhenTheConsoleClosesTheChannel() {
        LogTail.Source file = new LogTail.Source(LogTail.Kind.FILE, "/opt/sfu/log/sfu-server.log");
        String cmd = LogTail.command(file, 10, true);
        assertThat(cmd).startsWith("sh -c ").contains("tail -n 10 -F").contains("cat >/dev/null; kill $t");
    }
}
