package io.sfufleet.console.provision;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the console tells that a node it is waiting for has exited: the supervised branch's command run
 * by a local shell against real processes (running, gone, a zombie nobody reaps), the systemd branch's
 * output parsed as systemd prints it (there is no systemd here to ask), and the node's own reason
 * taken from its log's last line. Over SSH with real nodes: installers' provisioning tests.
 */
class NodeProcessTest {
    @TempDir
    Path prefix;

    @Test
    void aSupervisedNodeIsRunningWhileItsProcessLivesAndExitedOnceItIsGoneOrAZombie() throws Exception {
        Files.createDirectories(prefix.resolve("run"));
        Path pidFile = prefix.resolve("run/sfu-server.pid");
        assertThat(supervised()).as("no PID file: nothing can be told").isEqualTo(NodeProcess.Reading.UNKNOWN.detail());

        Process alive = new ProcessBuilder("sleep", "60").start();
        try {
            Files.writeString(pidFile, alive.pid() + "\n");
            assertThat(supervised()).isEqualTo("running " + alive.pid());
            assertThat(reading(supervised()).exited()).isFalse();
        } finally {
            alive.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        String gone = supervised();
        assertThat(gone).isEqualTo("exited " + alive.pid());
        assertThat(reading(gone)).isEqualTo(new NodeProcess.Reading(true, 0,
                "PID " + alive.pid() + " of " + prefix + "/run/sfu-server.pid is gone"));

        // a node whose parent does not reap it stays a zombie: kill -0 still succeeds, but it is gone
        Process parent = new ProcessBuilder("sh", "-c", "sleep 0.1 & echo $! > " + Shell.quote(pidFile.toString())
                + "; exec sleep 60").start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            String zombie = "";
            while (System.nanoTime() < deadline && !zombie.startsWith("exited")) {
                zombie = Files.exists(pidFile) && !Files.readString(pidFile).isBlank() ? supervised() : "";
                Thread.sleep(100);
            }
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            assertThat(zombie).isEqualTo("exited " + pid);
            assertThat(Files.readString(Path.of("/proc/" + pid + "/stat"))).as("still in the process table")
                    .contains(") Z");
        } finally {
            parent.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }

        Files.writeString(pidFile, "not-a-pid\n");
        assertThat(supervised()).isEqualTo("unknown");
    }

    @Test
    void systemdSaysExitedWhenTheUnitFailedWaitsForItsRestartOrHasStopped() {
        NodeProcess.Reading running = systemd("NRestarts=0\nActiveState=active\nSubState=running\nExecMainStatus=0\n");
        assertThat(running.exited()).isFalse();
        assertThat(running.restarts()).isZero();

        // Restart=on-failure with RestartSec=2s: between two runs the unit waits in auto-restart
        NodeProcess.Reading waiting = systemd("ActiveState=activating\nSubState=auto-restart\nNRestarts=3\n"
                + "ExecMainStatus=1\n");
        assertThat(waiting.exited()).isTrue();
        assertThat(waiting.restarts()).isEqualTo(3);
        assertThat(waiting.detail()).isEqualTo("systemd reports sfu-server.service activating (auto-restart), exit "
                + "status 1, restarted 3 times");
        assertThat(systemd("ActiveState=failed\nSubState=failed\nNRestarts=5\nExecMainStatus=1").exited()).isTrue();
        assertThat(systemd("ActiveState=inactive\nSubState=dead\nNRestarts=0\nExecMainStatus=0").exited()).isTrue();

        // running again after a restart the watch did not see in auto-restart: its count tells
        NodeProcess.Reading restarted = systemd("ActiveState=active\nSubState=running\nNRestarts=4\n");
        assertThat(restarted.exited()).isFalse();
        assertThat(restarted.restarts()).isGreaterThan(waiting.restarts());
        assertThat(NodeProcess.command(Installer.StartMode.SYSTEMD, prefix.toString()))
                .isEqualTo("systemctl show sfu-server.service -p ActiveState -p SubState -p NRestarts -p ExecMainStatus");
    }

    @Test
    void theNodesReasonIsItsLogsLastLineOnly() {
        String failed = """
                INFO: node edge-a up: media 127.0.0.1 udp 8443
                sfu-server: cannot start: client HTTP port 10.0.0.5:8080 (http.port) is in use (Address already in use)
                """;
        assertThat(NodeProcess.startFailure(failed))
                .isEqualTo("client HTTP port 10.0.0.5:8080 (http.port) is in use (Address already in use)");
        // an earlier start's line, followed by a later start's own failure: not taken for this one's reason
        assertThat(NodeProcess.startFailure(failed + "broken on purpose\n")).isNull();
        assertThat(NodeProcess.startFailure("")).isNull();
    }

    private String supervised() throws Exception {
        Process p = new ProcessBuilder("sh", "-c", NodeProcess.command(Installer.StartMode.SUPERVISED,
                prefix.toString())).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    private NodeProcess.Reading reading(String out) {
        return NodeProcess.parse(Installer.StartMode.SUPERVISED, prefix.toString(), out);
    }

    private NodeProcess.Reading systemd(String out) {
        return NodeProcess.parse(Installer.StartMode.SYSTEMD, prefix.toString(), out);
    }
}
