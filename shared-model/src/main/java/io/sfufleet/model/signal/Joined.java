package io.sfufleet.model.signal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * The node accepted the join.
 *
 * @param protocolVersion the node's protocol version
 * @param callId          the call joined
 * @param participantId   the id the node gave this participant
 * @param participants    the others already in the call, with their tracks
 * @param nodeName        the node's configured name, for diagnostics
 * @param iceServers      TURN servers with credentials for this participant; empty when the node has none
 * @param videoCodecs     the video codecs the node accepts, preferred first ("vp8", "vp9", "av1",
 *                        "h264"; config media.video_codecs); empty from nodes that do not say
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Joined(int protocolVersion, String callId, String participantId,
                     List<ParticipantInfo> participants, String nodeName, List<IceServer> iceServers,
                     List<String> videoCodecs)
        implements ServerMessage {
    public Joined {
        Validation.notNull("participantId", participantId);
        participants = participants == null ? List.of() : List.copyOf(participants);
        iceServers = iceServers == null ? List.of() : List.copyOf(iceServers);
        videoCodecs = videoCodecs == null ? List.of() : List.copyOf(videoCodecs);
    }

    /** Without a codec list, as nodes before media.video_codecs sent it. */
    public Joined(int protocolVersion, String callId, String participantId, List<ParticipantInfo> participants,
                  String nodeName, List<IceServer> iceServers) {
        this(protocolVersion, callId, participantId, participants, nodeName, iceServers, List.of());
    }

    /** Without ICE servers, as nodes without TURN send it. */
    public Joined(int protocolVersion, String callId, String participantId, List<ParticipantInfo> participants,
                  String nodeName) {
        this(protocolVersion, callId, participantId, participants, nodeName, List.of());
    }
}
