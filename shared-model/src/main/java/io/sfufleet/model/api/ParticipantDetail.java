package io.sfufleet.model.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * One participant: {@code GET /api/v1/calls/{callId}/participants/{participantId}}, and an item
 * of {@link CallDetail#participants()}.
 *
 * @param participantId  unique in the call, chosen by the node
 * @param name           display name from {@code join}
 * @param joinedAtMillis epoch milliseconds
 * @param remoteAddress  IP address the participant's media comes from; null before ICE succeeds
 * @param remotePort     its port; 0 before ICE succeeds
 * @param candidateType  how the media gets here: udp, tcp or relay
 * @param srtpProfile    the DTLS-SRTP protection profile, e.g. {@code AEAD_AES_128_GCM}; null before DTLS is done
 * @param publishState   the connection the participant sends on
 * @param subscribeState the connection it receives on ({@code new} while it does not exist)
 * @param published      the tracks it publishes
 * @param received       the tracks it receives
 * @param estimatedBitrateBps the node's send-side estimate of what the participant's downlink takes,
 *                       bits per second, from its transport-wide congestion control feedback; null
 *                       while it sent none (e.g. a client that did not negotiate transport-cc)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ParticipantDetail(String participantId, String name, long joinedAtMillis,
                                String remoteAddress, int remotePort, CandidateType candidateType, String srtpProfile,
                                ConnectionState publishState, ConnectionState subscribeState,
                                List<PublishedTrackStats> published, List<ReceivedTrackStats> received,
                                Long estimatedBitrateBps) {
    public ParticipantDetail {
        Validation.required("participantId", participantId);
        Validation.nonNegative("joinedAtMillis", joinedAtMillis);
        Validation.port("remotePort", remotePort, true);
        candidateType = candidateType == null ? CandidateType.unknown : candidateType;
        publishState = publishState == null ? ConnectionState.unknown : publishState;
        subscribeState = subscribeState == null ? ConnectionState.unknown : subscribeState;
        published = Validation.list("published", published);
        received = Validation.list("received", received);
        Validation.nonNegativeOrNull("estimatedBitrateBps", estimatedBitrateBps);
    }

    /** Without a bandwidth estimate (nodes before transport-cc, and fixtures). */
    public ParticipantDetail(String participantId, String name, long joinedAtMillis,
                             String remoteAddress, int remotePort, CandidateType candidateType, String srtpProfile,
                             ConnectionState publishState, ConnectionState subscribeState,
                             List<PublishedTrackStats> published, List<ReceivedTrackStats> received) {
        this(participantId, name, joinedAtMillis, remoteAddress, remotePort, candidateType, srtpProfile, publishState,
                subscribeState, published, received, null);
    }
}
