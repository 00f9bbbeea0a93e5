package io.sfufleet.sfu.browser;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** What the built-in client reports through {@code window.sfu}, as the tests read it. */
final class ClientView {
    private ClientView() {
    }

    /** An entry of {@code sfu.remoteTracks()}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record RemoteTrack(String participantId, String trackId, String kind, String source, boolean muted,
                       String readyState, boolean active) {
    }

    /** An entry of {@code sfu.stats().inbound}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Inbound(String participantId, String trackId, String kind, long bytesReceived, long packetsReceived,
                   long framesDecoded, long totalSamplesReceived, long nackCount,
                   long retransmittedPacketsReceived, int frameWidth, int frameHeight, String codec) {
    }

    /** {@code sfu.stats().publishPath}: the node's side of the selected candidate pair. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Path(String protocol, String candidateType, int port, String localCandidateType) {
    }

    /** An entry of {@code sfu.stats().outbound}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Outbound(String source, String kind, long bytesSent, long packetsSent) {
    }

    /** {@code sfu.stats()}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Stats(List<Inbound> inbound, List<Outbound> outbound, String publishState, String subscribeState,
                 Path publishPath, Path subscribePath) {
        Stats {
            inbound = inbound == null ? List.of() : List.copyOf(inbound);
            outbound = outbound == null ? List.of() : List.copyOf(outbound);
        }

        Inbound inbound(String trackId) {
            return inbound.stream().filter(i -> i.trackId().equals(trackId)).findFirst().orElse(null);
        }

        List<Inbound> from(String participantId) {
            return inbound.stream().filter(i -> participantId.equals(i.participantId())).toList();
        }

        boolean connected() {
            return "connected".equals(publishState) && "connected".equals(subscribeState);
        }
    }

    /** An entry of {@code sfu.localSources()}: what this client publishes. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record LocalSource(String source, boolean muted) {
    }

    /** {@code sfu.e2ee()}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record E2ee(boolean enabled, boolean ready, long framesEncrypted, long framesDecrypted, long audioDecrypted,
                long videoDecrypted, long decryptFailures, long unknownKeyFrames, long unsupportedFrames,
                List<Sample> samples) {
        E2ee {
            samples = samples == null ? List.of() : List.copyOf(samples);
        }
    }

    /** A plaintext frame the E2EE worker encrypted (base64), recorded with {@code e2eesamples=1}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Sample(String kind, String clearHeader, String plaintext) {
    }

    /** {@code sfu.participants()}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Participant(String participantId, String name) {
    }
}
