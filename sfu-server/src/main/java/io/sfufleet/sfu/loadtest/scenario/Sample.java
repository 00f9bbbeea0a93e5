package io.sfufleet.sfu.loadtest.scenario;

/**
 * One second of a run. Client figures are summed over every participant; rates are over the second
 * before {@code seconds}. Server figures are null where the server does not report them.
 *
 * @param delayP50Micros forwarding delay of the packets received in that second, -1 when none
 */
public record Sample(double seconds, int participants, double clientPacketsOutPerSecond, double clientPacketsInPerSecond,
                     double clientBitsOutPerSecond, double clientBitsInPerSecond, long delayP50Micros,
                     long delayP99Micros, long lostTotal, double serverCpuPercent, Long serverRssBytes,
                     Long serverPacketsInPerSecond, Long serverPacketsOutPerSecond, Long serverBitsInPerSecond,
                     Long serverBitsOutPerSecond) {
}
