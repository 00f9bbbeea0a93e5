package io.sfufleet.sfu.loadtest.server;

/**
 * RTP packets and bytes the server counted for the calls of a run: received from publishers and sent
 * to receivers (the node's admin API: {@code published[].packets} and {@code received[].packets}).
 */
public record ServerTotals(long packetsReceived, long bytesReceived, long packetsSent, long bytesSent, int participants) {
}
