package io.sfufleet.console.bench;

import io.sfufleet.model.api.CallDetail;
import io.sfufleet.model.api.CallSummary;
import io.sfufleet.model.api.CandidateType;
import io.sfufleet.model.api.Capacity;
import io.sfufleet.model.api.ConnectionState;
import io.sfufleet.model.signal.MediaSource;
import io.sfufleet.model.api.NodeInfo;
import io.sfufleet.model.api.NodeState;
import io.sfufleet.model.api.ParticipantDetail;
import io.sfufleet.model.api.PublishedTrackStats;
import io.sfufleet.model.api.ReceivedTrackStats;
import io.sfufleet.model.signal.TrackKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Generated figures of one SIMULATED node, for the scale benchmark only: a fixed set of calls and
 * participants whose bitrates, loss, jitter and CPU wander a little every second. Deterministic
 * for a given node index and second, so two answers within one second agree with each other and
 * the snapshot's totals are the sums of its calls.
 */
final class SimulatedFigures {
    /** Every {@code HOT_EVERY}-th node runs hot (CPU above the default alert threshold, one lossy participant). */
    static final int HOT_EVERY = 25;

    private final int index;
    private final String name;
    private final int calls;
    private final int perCall;
    private final long startedAtMillis;
    private final boolean hot;

    SimulatedFigures(int index, int calls, int perCall, long startedAtMillis) {
        if (index < 1 || calls < 1 || perCall < 2) {
            throw new IllegalArgumentException("index >= 1, calls >= 1 and participants per call >= 2, not "
                    + index + ", " + calls + ", " + perCall);
        }
        this.index = index;
        this.name = nodeName(index);
        this.calls = calls;
        this.perCall = perCall;
        this.startedAtMillis = startedAtMillis;
        this.hot = index % HOT_EVERY == 0;
    }

    static String nodeName(int index) {
        return String.format(Locale.ROOT, "simulated-%03d", index);
    }

    static String callId(int call) {
        return String.format(Locale.ROOT, "sim-call-%02d", call);
    }

    String name() {
        return name;
    }

    List<CallSummary> calls(long now) {
        List<CallSummary> out = new ArrayList<>(calls);
        long t = now / 1000;
        for (int c = 0; c < calls; c++) {
            long in = 0;
            for (int p = 0; p < perCall; p++) {
                in += audioBps(c, p, t) + videoBps(c, p, t);
            }
            // every receiver gets every other participant's tracks
            long out2 = in * (perCall - 1);
            out.add(new CallSummary(callId(c), startedAtMillis + c * 1000L, perCall, perCall * 2, in, out2));
        }
        return out;
    }

    NodeInfo node(long now, List<CallSummary> callList) {
        long t = now / 1000;
        long in = 0;
        long out = 0;
        for (CallSummary c : callList) {
            in += c.bitrateInBps() / 8;
            out += c.bitrateOutBps() / 8;
        }
        double cpu = 20 + 12 * Math.sin((t + index * 7) / 20.0) + 6 * noise(1, t) + (hot ? 60 : 0);
        return new NodeInfo(name, "0.1.0-simulated", 1, startedAtMillis, Math.max(0, (now - startedAtMillis) / 1000),
                NodeState.running, null, true, round1(cpu), round1(Math.min(100, cpu / 2 + 5)),
                (300L << 20) + (long) (40 * noise(2, t)) * (1L << 20), 180L + (long) (20 * noise(3, t)), 1_048_576L,
                in, out, in / 1100, out / 1100, calls, calls * perCall, calls * perCall * 2,
                new Capacity(1000, 100), 8443, "203.0.113." + (index % 250 + 1), 8);
    }

    /** The call with every participant and its tracks; null when this node has no such call. */
    CallDetail call(String callId, long now) {
        int c = -1;
        for (int k = 0; k < calls; k++) {
            if (callId(k).equals(callId)) {
                c = k;
            }
        }
        if (c < 0) {
            return null;
        }
        long t = now / 1000;
        long elapsed = Math.max(1, (now - startedAtMillis) / 1000);
        List<ParticipantDetail> people = new ArrayList<>(perCall);
        for (int p = 0; p < perCall; p++) {
            List<PublishedTrackStats> published = List.of(
                    published(c, p, t, elapsed, TrackKind.audio), published(c, p, t, elapsed, TrackKind.video));
            List<ReceivedTrackStats> received = new ArrayList<>((perCall - 1) * 2);
            for (int q = 0; q < perCall; q++) {
                if (q != p) {
                    received.add(received(c, p, q, t, elapsed, TrackKind.audio));
                    received.add(received(c, p, q, t, elapsed, TrackKind.video));
                }
            }
            people.add(new ParticipantDetail(participantId(p), String.format(Locale.ROOT, "Sim %03d-%02d-%02d", index, c, p),
                    startedAtMillis + c * 1000L + p * 100L, "198.51.100." + (1 + (index * 31 + c * 7 + p) % 250),
                    40_000 + c * 100 + p, CandidateType.udp, "AEAD_AES_128_GCM", ConnectionState.connected,
                    ConnectionState.connected, published, received));
        }
        return new CallDetail(callId, startedAtMillis + c * 1000L, people);
    }

    private PublishedTrackStats published(int c, int p, long t, long elapsed, TrackKind kind) {
        boolean audio = kind == TrackKind.audio;
        long bps = audio ? audioBps(c, p, t) : videoBps(c, p, t);
        long pps = audio ? 50 : 120;
        long packets = pps * elapsed;
        return new PublishedTrackStats(trackId(p, kind), kind, audio ? MediaSource.microphone : MediaSource.camera,
                audio ? "opus/48000/2" : "VP8/90000", ssrc(c, p, kind), false, false, bps, packets,
                bps / 8 * elapsed, packets / 500, loss(c, p, t), round1(1 + 8 * noise(salt(c, p, 3), t)),
                round1(10 + 40 * noise(salt(c, p, 4), t)), packets / 2000, packets / 20_000, perCall - 1);
    }

    private ReceivedTrackStats received(int c, int p, int from, long t, long elapsed, TrackKind kind) {
        boolean audio = kind == TrackKind.audio;
        long bps = audio ? audioBps(c, from, t) : videoBps(c, from, t);
        long packets = (audio ? 50 : 120) * elapsed;
        return new ReceivedTrackStats(trackId(from, kind), participantId(from), kind, ssrc(c, from, kind), bps,
                packets, bps / 8 * elapsed, round1(noise(salt(c, p * 31 + from, 5), t)),
                round1(1 + 6 * noise(salt(c, p * 31 + from, 6), t)), round1(10 + 40 * noise(salt(c, p, 4), t)),
                packets / 3000, packets / 30_000, "full");
    }

    private double loss(int c, int p, long t) {
        // the hot node's first participant is lossy, above the default 5 % alert threshold
        return hot && c == 0 && p == 0 ? round1(6 + 2 * noise(salt(c, p, 7), t)) : round1(1.5 * noise(salt(c, p, 7), t));
    }

    private long audioBps(int c, int p, long t) {
        return 28_000 + (long) (12_000 * noise(salt(c, p, 1), t));
    }

    private long videoBps(int c, int p, long t) {
        double wave = 0.5 + 0.5 * Math.sin((t + salt(c, p, 2) % 60) / 15.0);
        return 400_000 + (long) (900_000 * wave) + (long) (100_000 * noise(salt(c, p, 2), t));
    }

    private long ssrc(int c, int p, TrackKind kind) {
        return (index * 1_000_003L + c * 1009L + p * 2L + (kind == TrackKind.audio ? 0 : 1)) & 0xffff_ffffL;
    }

    private static String participantId(int p) {
        return String.format(Locale.ROOT, "p%02d", p);
    }

    private static String trackId(int p, TrackKind kind) {
        return participantId(p) + (kind == TrackKind.audio ? "-a0" : "-v1");
    }

    private long salt(int c, int p, int what) {
        return ((index * 131L + c) * 131L + p) * 131L + what;
    }

    /** A value in [0, 1) that depends only on the seed and the second: SplitMix64's finaliser. */
    static double noise(long seed, long second) {
        long z = seed * 0x9E37_79B9_7F4A_7C15L + second * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        z ^= z >>> 31;
        return (z >>> 11) * 0x1.0p-53;
    }

    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
