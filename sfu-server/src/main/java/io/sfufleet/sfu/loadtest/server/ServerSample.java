package io.sfufleet.sfu.loadtest.server;

/**
 * The server process at one moment. Packet and byte rates are null when the server does not tell
 * (Janus).
 *
 * @param cpuPercent  process CPU over the last interval; 100 = one core
 * @param rssBytes    resident memory, null when unknown
 */
public record ServerSample(double cpuPercent, Long rssBytes, Long packetsInPerSecond, Long packetsOutPerSecond,
                           Long bytesInPerSecond, Long bytesOutPerSecond) {
}
