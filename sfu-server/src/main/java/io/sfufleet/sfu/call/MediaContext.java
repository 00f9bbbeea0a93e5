package io.sfufleet.sfu.call;

import io.sfufleet.sfu.dtls.DtlsCertificate;
import io.sfufleet.sfu.ice.IceCredentials;
import io.sfufleet.sfu.rtp.PacketPool;
import io.sfufleet.sfu.transport.DropCounters;
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
 * @param mediaPort       the UDP media port
 */
public record MediaContext(ScheduledExecutorService mediaLoop, PacketPool pool, DropCounters drops,
                           TransportRegistry registry, PacketSink sink, DtlsCertificate certificate,
                           String advertisedHost, int mediaPort, String nodeName,
                           int maxCalls, int maxParticipantsPerCall, long keyframeIntervalNanos,
                           long publisherBitrateBps) {

    PeerTransport newTransport(String id, TransportListener listener) {
        return new PeerTransport(id, IceCredentials.random(), registry, sink, mediaLoop, certificate, drops, listener);
    }
}
