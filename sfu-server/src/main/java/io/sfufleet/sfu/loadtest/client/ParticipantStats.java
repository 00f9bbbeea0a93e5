package io.sfufleet.sfu.loadtest.client;

/**
 * A participant's counters at one moment. Sent figures are RTP packets and bytes (header and
 * payload, before SRTP); received figures are decrypted RTP packets and their bytes.
 *
 * @param packetsExpected      RFC 3550: per received stream, highest sequence number minus the first plus one, summed
 * @param packetsLost          expected and not received, summed over streams
 * @param lastDelayMicros      forwarding delay of the last timestamped packet received; -1 before one
 * @param keyframeRequests     PLI and FIR the server sent us about our video
 * @param srtpErrors           received packets that failed SRTP/SRTCP authentication or decryption
 * @param receivedStreams      distinct SSRCs we received media on
 * @param joinMillis           from opening the WebSocket until media flowed (the join call's duration)
 */
public record ParticipantStats(String participantId, long packetsSent, long bytesSent, long packetsReceived,
                               long bytesReceived, long packetsExpected, long packetsLost, long duplicates,
                               long lastDelayMicros, long keyframesSent, long keyframeRequests, long srtpErrors,
                               int receivedStreams, long joinMillis) {
    /** Lost as a percentage of expected, 0 when nothing was expected. */
    public double lossPercent() {
        return packetsExpected == 0 ? 0 : 100.0 * packetsLost / packetsExpected;
    }
}
