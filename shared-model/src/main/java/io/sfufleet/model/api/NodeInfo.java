package io.sfufleet.model.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What a node is and how it is doing: {@code GET /api/v1/node}, and the {@code node} of every
 * {@link StatsSnapshotEvent}. Rates are over the last stats tick (one second).
 *
 * @param nodeName            {@code node.name}, or the host name
 * @param version             the node's software version ("dev" when run from classes)
 * @param apiVersion          {@link ApiPaths#API_VERSION}
 * @param startedAtMillis     when the process started, epoch milliseconds
 * @param uptimeSeconds       seconds since then
 * @param state               starting, running, draining or stopping
 * @param drainDeadlineMillis while draining: when the calls left are ended, epoch milliseconds; else null
 * @param ready               what {@code /readyz} answers: running, not overloaded, below {@code limits.max_calls}
 * @param cpuPercent          this process's CPU over the last tick; 100 = one core busy, so up to
 *                            100 x {@code availableProcessors}
 * @param systemCpuPercent    the whole host's CPU, 0 to 100
 * @param rssBytes            resident memory of the process; null where the OS does not tell
 * @param openFileDescriptors null where the OS does not tell
 * @param maxFileDescriptors  the process's limit; null where the OS does not tell
 * @param bytesInPerSecond    media UDP/TCP bytes received, all calls
 * @param bytesOutPerSecond   media bytes sent
 * @param packetsInPerSecond  media packets received
 * @param packetsOutPerSecond media packets sent
 * @param calls               calls on the node now
 * @param participants        participants in them
 * @param tracks              tracks published in them
 * @param capacity            configured limits
 * @param mediaPort           the UDP media port ({@code media.udp_port})
 * @param advertisedAddress   the address put in ICE candidates ({@code media.ice_host_override} or detected)
 * @param availableProcessors CPUs the JVM may use, to read {@code cpuPercent} against
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NodeInfo(String nodeName, String version, int apiVersion, long startedAtMillis, long uptimeSeconds,
                       NodeState state, Long drainDeadlineMillis, boolean ready,
                       double cpuPercent, double systemCpuPercent,
                       Long rssBytes, Long openFileDescriptors, Long maxFileDescriptors,
                       long bytesInPerSecond, long bytesOutPerSecond, long packetsInPerSecond, long packetsOutPerSecond,
                       int calls, int participants, int tracks,
                       Capacity capacity, int mediaPort, String advertisedAddress, int availableProcessors) {
    public NodeInfo {
        Validation.required("nodeName", nodeName);
        Validation.require(apiVersion > 0, "apiVersion must be positive, not " + apiVersion);
        Validation.nonNegative("startedAtMillis", startedAtMillis);
        Validation.nonNegative("uptimeSeconds", uptimeSeconds);
        state = state == null ? NodeState.unknown : state;
        Validation.require(drainDeadlineMillis == null || drainDeadlineMillis > 0,
                "drainDeadlineMillis must be null or positive epoch milliseconds, not " + drainDeadlineMillis);
        Validation.nonNegative("cpuPercent", cpuPercent);
        Validation.percent("systemCpuPercent", systemCpuPercent);
        Validation.nonNegativeOrNull("rssBytes", rssBytes);
        Validation.nonNegativeOrNull("openFileDescriptors", openFileDescriptors);
        Validation.nonNegativeOrNull("maxFileDescriptors", maxFileDescriptors);
        Validation.nonNegative("bytesInPerSecond", bytesInPerSecond);
        Validation.nonNegative("bytesOutPerSecond", bytesOutPerSecond);
        Validation.nonNegative("packetsInPerSecond", packetsInPerSecond);
        Validation.nonNegative("packetsOutPerSecond", packetsOutPerSecond);
        Validation.nonNegative("calls", calls);
        Validation.nonNegative("participants", participants);
        Validation.nonNegative("tracks", tracks);
        Validation.notNull("capacity", capacity);
        Validation.port("mediaPort", mediaPort, false);
        Validation.nonNegative("availableProcessors", availableProcessors);
    }
}
