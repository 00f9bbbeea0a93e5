package io.sfufleet.sfu.loadtest.janus;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.sfu.FreePorts;
import io.sfufleet.sfu.loadtest.client.ClientRuntime;
import io.sfufleet.sfu.loadtest.client.LoadParticipant;
import io.sfufleet.sfu.loadtest.client.ParticipantStats;
import io.sfufleet.sfu.loadtest.server.ProcessProbe;
import io.sfufleet.sfu.loadtest.server.ServerSample;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same synthetic clients through a real Janus 1.1 VideoRoom (Debian's janus package; .ci/run
 * installs it), in a network namespace of its own: each of three participants receives the others'
 * streams.
 */
class JanusSmokeTest {
    @TempDir
    Path tmp;

    @Test
    void threeParticipantsInAVideoRoomReceiveEachOther() throws Exception {
        Assumptions.assumeTrue(JanusServer.installed(), "janus is not installed (apt-get install -y janus)");
        Path dir = System.getProperty("janus.smoke.dir") != null ? Path.of(System.getProperty("janus.smoke.dir")) : tmp;
        int port = FreePorts.tcp();
        int rtp = 20_000 + (port % 20_000);
        List<LoadParticipant> joined = new ArrayList<>();
        try (JanusServer janus = JanusServer.start(dir, port, rtp + "-" + (rtp + 200), null);
             ClientRuntime runtime = new ClientRuntime(1, janus.clientAddress())) {
            ProcessProbe probe = new ProcessProbe(janus.pid(), "janus");
            JanusParticipantFactory factory = new JanusParticipantFactory(runtime, janus.webSocketUri(), 10);
            Duration timeout = Duration.ofSeconds(30);
            try {
                joined.add(factory.join("smoke", "alice", true, true, false, timeout));
                joined.add(factory.join("smoke", "bob", true, false, false, timeout));
                joined.add(factory.join("smoke", "carol", true, false, false, timeout));
                long deadline = System.nanoTime() + timeout.toNanos();
                // alice gets 2 audio streams, bob and carol 3 (alice's audio and video, the other's audio)
                while (!(joined.get(0).stats().receivedStreams() == 2 && joined.get(1).stats().receivedStreams() == 3
                        && joined.get(2).stats().receivedStreams() == 3 && allReceiveFromEveryStream(joined))) {
                    assertThat(System.nanoTime()).as("streams: " + joined.stream().map(LoadParticipant::stats).toList())
                            .isLessThan(deadline);
                    Thread.sleep(50);
                }
                for (LoadParticipant p : joined) {
                    ParticipantStats s = p.stats();
                    assertThat(s.packetsSent()).isPositive();
                    assertThat(s.srtpErrors()).isZero();
                    assertThat(s.lastDelayMicros()).isBetween(0L, 5_000_000L);
                    assertThat(p.lastError()).isNull();
                }
                assertThat(joined.get(0).stats().keyframesSent()).isPositive();
                ServerSample sample = probe.sample();
                assertThat(sample.rssBytes()).isPositive();
                assertThat(sample.cpuPercent()).isGreaterThanOrEqualTo(0);
            } finally {
                joined.forEach(LoadParticipant::close);
            }
            assertThat(janus.isAlive()).as("Janus survived; log " + janus.log()).isTrue();
        }
    }

    private static boolean allReceiveFromEveryStream(List<LoadParticipant> ps) {
        return ps.stream().allMatch(p -> p.stats().packetsReceived() > 10 * p.stats().receivedStreams());
    }
}
