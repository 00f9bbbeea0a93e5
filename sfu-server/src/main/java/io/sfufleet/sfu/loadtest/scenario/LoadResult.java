package io.sfufleet.sfu.loadtest.scenario;

import io.sfufleet.sfu.loadtest.server.ServerDelay;
import io.sfufleet.sfu.loadtest.server.ServerTotals;
import java.util.List;

/**
 * Everything a run measured.
 *
 * @param server           what was measured ("sfu-fleet node ...", "Janus ...")
 * @param samples          one per second, from the first join to the end
 * @param steadyFrom       seconds (into the run) when every participant had joined
 * @param steadyTo         seconds when the senders stopped
 * @param joinMillis       join time of every participant that joined
 * @param joinFailures     participants that did not join
 * @param errors           distinct error messages (joins, the node, SRTP), at most a few dozen
 * @param clientTotals     what the clients counted, after the senders stopped and the last packets arrived
 * @param serverTotals     what the server counted then, null when it does not tell
 * @param delayMicros      quantiles of the forwarding delay over the steady window: p50, p90, p99, p99.9, max
 * @param srtpErrors       packets the clients could not unprotect
 * @param serverDelay      the server's own forwarding-delay histogram over the steady window; null
 *                         when it keeps none
 */
public record LoadResult(Scenario scenario, String server, long startedAtMillis, List<Sample> samples,
                         double steadyFrom, double steadyTo, List<Long> joinMillis, int joinFailures,
                         List<String> errors, ClientTotals clientTotals, ServerTotals serverTotals,
                         long[] delayMicros, long srtpErrors, ServerDelay serverDelay) {

    /** What every client counted together. */
    public record ClientTotals(long packetsSent, long bytesSent, long packetsReceived, long bytesReceived,
                               long packetsExpected, long packetsLost) {
        public double lossPercent() {
            return packetsExpected == 0 ? 0 : 100.0 * packetsLost / packetsExpected;
        }
    }

    /** One counter as the clients and as the server saw it. */
    public record CounterMatch(String what, long clients, long server) {
        /** |clients - server| as a percentage of the server's figure (0 when both are 0). */
        public double deviationPercent() {
            if (server == 0) {
                return clients == 0 ? 0 : 100;
            }
            return 100.0 * Math.abs(clients - server) / server;
        }
    }

    /**
     * The clients' counters against the server's own: packets the clients sent against packets the
     * server received from them, and packets the server sent against packets the clients received.
     * Empty when the server keeps no counters.
     */
    public List<CounterMatch> counterMatches() {
        if (serverTotals == null) {
            return List.of();
        }
        return List.of(
                new CounterMatch("RTP packets clients sent / server received", clientTotals.packetsSent(),
                        serverTotals.packetsReceived()),
                new CounterMatch("RTP bytes clients sent / server received", clientTotals.bytesSent(),
                        serverTotals.bytesReceived()),
                new CounterMatch("RTP packets server sent / clients received", clientTotals.packetsReceived(),
                        serverTotals.packetsSent()),
                new CounterMatch("RTP bytes server sent / clients received", clientTotals.bytesReceived(),
                        serverTotals.bytesSent()));
    }

    /** Samples within the steady window. */
    public List<Sample> steady() {
        List<Sample> s = samples.stream().filter(x -> x.seconds() > steadyFrom && x.seconds() <= steadyTo).toList();
        return s.isEmpty() ? samples : s;
    }

    public double averageCpuPercent() {
        return steady().stream().mapToDouble(Sample::serverCpuPercent).average().orElse(0);
    }

    public double maxCpuPercent() {
        return steady().stream().mapToDouble(Sample::serverCpuPercent).max().orElse(0);
    }

    public Long maxRssBytes() {
        return samples.stream().map(Sample::serverRssBytes).filter(java.util.Objects::nonNull)
                .max(Long::compare).orElse(null);
    }

    /** Packets the clients received per second in the steady window: what the server forwarded and delivered. */
    public double forwardedPacketsPerSecond() {
        return steady().stream().mapToDouble(Sample::clientPacketsInPerSecond).average().orElse(0);
    }

    /**
     * Forwarded packets (as the receivers counted them) per second of server CPU, over the steady
     * window; 0 when the server used no measurable CPU.
     */
    public double forwardedPerCpuSecond() {
        double cpu = averageCpuPercent() / 100.0;
        return cpu <= 0 ? 0 : forwardedPacketsPerSecond() / cpu;
    }

    /** The same with the server's own count of packets sent, null when it keeps none. */
    public Double serverForwardedPerCpuSecond() {
        List<Sample> s = steady();
        if (s.stream().anyMatch(x -> x.serverPacketsOutPerSecond() == null)) {
            return null;
        }
        double out = s.stream().mapToDouble(Sample::serverPacketsOutPerSecond).average().orElse(0);
        double cpu = averageCpuPercent() / 100.0;
        return cpu <= 0 ? 0 : out / cpu;
    }

    public long joinQuantile(double q) {
        if (joinMillis.isEmpty()) {
            return -1;
        }
        List<Long> sorted = joinMillis.stream().sorted().toList();
        int i = (int) Math.ceil(q * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }
}
