package io.sfufleet.sfu.call;

import io.sfufleet.model.signal.TrackKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Bounded fan-out for large calls: each receiver gets at most {@code maxAudio} audio tracks, those
 * of the current speakers, and the video of at most {@code maxVideo} tracks, those of the latest
 * speakers (last-N). Loudness comes from RFC 6464 audio levels the node reads from the packets'
 * header extensions before decrypting them ({@link Track#onAudioLevel}).
 *
 * <p>A selected track keeps its place while its speaker spoke within {@link #HOLD_NANOS}: a new
 * speaker takes the place of the one silent longest, and only once that one has been silent for
 * the hold time. Without it the selection would change at every pause between words, and every
 * video change costs a keyframe.
 *
 * <p>Runs a few times a second on the media loop, not per packet; it only flips
 * {@link Subscription#selected}, which the forwarding loop reads.
 */
final class SpeakerSelection {
    /** At or above this loudness (127 - level: level 70, -70 dBov, and louder) a track counts as speech. */
    static final double SPEAKING_LOUDNESS = 127 - 70;
    /** A track that sent no level for this long (muted, or stopped) counts as silent. */
    static final long STALE_NANOS = 500_000_000L;
    /** How long a selected speaker keeps its place after falling silent. */
    static final long HOLD_NANOS = 2_000_000_000L;
    /** Rounds in a row a new loudest speaker must lead before it becomes the dominant speaker. */
    static final int DOMINANT_ROUNDS = 2;

    private SpeakerSelection() {
    }

    /** What a round decided that the call must tell: the new dominant speaker, and video subscriptions now selected. */
    record Outcome(Participant newDominant, List<Subscription> videoSelected) {
    }

    /**
     * Recomputes every receiver's selection in {@code call}.
     *
     * @return the new dominant speaker (null if unchanged) and the video subscriptions that became
     *         selected, which need a keyframe
     */
    static Outcome select(Call call, int maxAudio, int maxVideo, long now) {
        Track loudest = null;
        double loudestLevel = SPEAKING_LOUDNESS;
        for (Participant p : call.participants.values()) {
            for (Track t : p.published.values()) {
                if (t.kind != TrackKind.audio || t.ended) {
                    continue;
                }
                double loud = t.loudness(now, STALE_NANOS);
                if (loud >= SPEAKING_LOUDNESS) {
                    t.lastSpokeNanos = now;
                    p.lastSpokeNanos = now;
                    if (loud > loudestLevel || loudest == null) {
                        loudest = t;
                        loudestLevel = loud;
                    }
                }
            }
        }
        List<Subscription> videoSelected = new ArrayList<>();
        for (Participant receiver : call.participants.values()) {
            choose(receiver, TrackKind.audio, maxAudio, s -> s.track.lastSpokeNanos, now, null);
            choose(receiver, TrackKind.video, maxVideo, s -> s.track.owner.lastSpokeNanos, now, videoSelected);
        }
        return new Outcome(dominant(call, loudest == null ? null : loudest.owner), videoSelected);
    }

    /**
     * One receiver, one kind: trims the selection to {@code max} (keeping the latest speakers),
     * fills free places with the latest speakers, and lets a more recent speaker replace the one
     * silent longest once that one has been silent for {@link #HOLD_NANOS}.
     */
    private static void choose(Participant receiver, TrackKind kind, int max, ToLongFunction<Subscription> spoke,
                               long now, List<Subscription> newlySelected) {
        // Latest speaker first; ties (never spoke) in subscription order, which is publishing order.
        Comparator<Subscription> recentFirst = Comparator.comparingLong(s -> -spoke.applyAsLong(s));
        List<Subscription> in = new ArrayList<>();
        List<Subscription> out = new ArrayList<>();
        for (Subscription s : receiver.subscriptions) {
            if (s.track.kind == kind && s.active && !s.track.ended) {
                (s.selected ? in : out).add(s);
            }
        }
        in.sort(recentFirst);
        out.sort(recentFirst);
        while (in.size() > max) {
            in.removeLast().selected = false;
        }
        for (Subscription candidate : out) {
            if (in.size() < max) {
                select(candidate, in, newlySelected);
                continue;
            }
            if (in.isEmpty()) {
                break;
            }
            Subscription quietest = in.getLast();
            long candidateSpoke = spoke.applyAsLong(candidate);
            long quietestSpoke = spoke.applyAsLong(quietest);
            if (candidateSpoke > quietestSpoke && now - quietestSpoke > HOLD_NANOS) {
                in.removeLast().selected = false;
                select(candidate, in, newlySelected);
                in.sort(recentFirst);
            }
        }
    }

    private static void select(Subscription s, List<Subscription> in, List<Subscription> newlySelected) {
        s.selected = true;
        in.add(s);
        if (newlySelected != null) {
            newlySelected.add(s);
        }
    }

    /** The call's dominant speaker changes when another one has been loudest for {@link #DOMINANT_ROUNDS} rounds. */
    private static Participant dominant(Call call, Participant loudest) {
        if (loudest == null || loudest == call.dominant) {
            call.dominantCandidate = null;
            call.dominantCandidateRounds = 0;
            return null;
        }
        call.dominantCandidateRounds = loudest == call.dominantCandidate ? call.dominantCandidateRounds + 1 : 1;
        call.dominantCandidate = loudest;
        if (call.dominantCandidateRounds < DOMINANT_ROUNDS) {
            return null;
        }
        call.dominant = loudest;
        call.dominantCandidate = null;
        call.dominantCandidateRounds = 0;
        return loudest;
    }
}
