package io.sfufleet.sfu.call;

import io.sfufleet.sfu.dtls.DtlsCertificate;
import io.sfufleet.sfu.dtls.DtlsSessionOptions;
import io.sfufleet.sfu.ice.IceCredentials;
import io.sfufleet.sfu.ice.TurnCredentials;
import io.sfufleet.sfu.rtp.PacketPool;
import io.sfufleet.sfu.transport.DropCounters;
import io.sfufleet.sfu.transport.MediaMetrics;
import io.sfufleet.sfu.transport.PacketSink;
import io.sfufleet.sfu.transport.PeerTransport;
import io.sfufleet.sfu.transport.TransportListener;
import io.sfufleet.sfu.transport.TransportRegistry;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The services the call logic needs from the node, built once at start.
 *
 * @param mediaLoop       the single thread that owns all call and transport state
 * @param advertisedHost  the address put in ICE candidates (config media.ice_host_override or detected)
 * @param mediaPort       the UDP media port (put in candidates only when {@code udpEnabled})
 * @param dtlsOptions     how each transport's DTLS session runs; its counters are the node's
 * @param metrics         where the media path counts packets; {@link MediaMetrics#NONE} for none
 * @param tcpPort         the ICE-TCP port offered as a passive candidate, 0 for none
 * @param udpEnabled      whether the UDP port is offered at all
 * @param forwardLoss     drops forwarded packets on purpose, for loss-recovery tests; {@link ForwardLoss#NONE} in service
 * @param turn            TURN servers and credentials for the join response; {@link TurnCredentials#NONE} for none
 * @param videoCodecs     config media.video_codecs: the video codecs accepted from publishers, preferred first
 */
public record MediaContext(ScheduledExecutorService mediaLoop, PacketPool pool, DropCounters drops,
                           TransportRegistry registry, PacketSink sink, DtlsCertificate certificate,
                           String advertisedHost, int mediaPort, String nodeName,
                           int maxCalls, int maxParticipantsPerCall, long keyframeIntervalNanos,
                           long publisherBitrateBps, DtlsSessionOptions dtlsOptions, MediaMetrics metrics,
                           int tcpPort, boolean udpEnabled, ForwardLoss forwardLoss, TurnCredentials turn,
                           java.util.List<String> videoCodecs) {

    public MediaContext {
        java.util.Objects.requireNonNull(forwardLoss, "forwardLoss");
        java.util.Objects.requireNonNull(turn, "turn");
        videoCodecs = java.util.List.copyOf(videoCodecs);
        if (!udpEnabled && tcpPort == 0) {
            throw new IllegalArgumentException("with UDP off, an ICE-TCP port is needed");
        }
    }

    /** UDP only, as before ICE-TCP: for tests, benchmarks and in-process clients. */
    public MediaContext(ScheduledExecutorService mediaLoop, PacketPool pool, DropCounters drops,
                        TransportRegistry registry, PacketSink sink, DtlsCertificate certificate,
                        String advertisedHost, int mediaPort, String nodeName,
                        int maxCalls, int maxParticipantsPerCall, long keyframeIntervalNanos,
                        long publisherBitrateBps, DtlsSessionOptions dtlsOptions, MediaMetrics metrics) {
        this(mediaLoop, pool, drops, registry, sink, certificate, advertisedHost, mediaPort, nodeName, maxCalls,
                maxParticipantsPerCall, keyframeIntervalNanos, publisherBitrateBps, dtlsOptions, metrics, 0, true,
                ForwardLoss.NONE, TurnCredentials.NONE, io.sfufleet.sfu.sdp.Codecs.DEFAULT_VIDEO);
    }

    /** Without metrics and with default DTLS options: for tests and benchmarks. */
    public MediaContext(ScheduledExecutorService mediaLoop, PacketPool pool, DropCounters drops,
                        TransportRegistry registry, PacketSink sink, DtlsCertificate certificate,
                        String advertisedHost, int mediaPort, String nodeName,
                        int maxCalls, int maxParticipantsPerCall, long keyframeIntervalNanos,
                        long publisherBitrateBps) {
        this(mediaLoop, pool, drops, registry, sink, certificate, advertisedHost, mediaPort, nodeName, maxCalls,
                maxParticipantsPerCall, keyframeIntervalNanos, publisherBitrateBps, DtlsSessionOptions.defaults(),
                MediaMetrics.NONE);
    }

    PeerTransport newTransport(String id, TransportListener listener) {
        return new PeerTransport(id, IceCredentials.random(), registry, sink, mediaLoop, certificate, drops,
                dtlsOptions, metrics, listener);
    }
}
