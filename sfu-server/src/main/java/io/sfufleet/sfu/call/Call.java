package io.sfufleet.sfu.call;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A call: its participants. Participants of different calls never see each other's tracks. */
public final class Call {
    final String id;
    final long createdAtMillis = System.currentTimeMillis();
    final Map<String, Participant> participants = new LinkedHashMap<>();
    /** The current dominant speaker, and the one that leads the ranking but has not for long enough yet. */
    Participant dominant;
    Participant dominantCandidate;
    int dominantCandidateRounds;
    private int nextParticipant = 1;

    Call(String id) {
        this.id = id;
    }

    String nextParticipantId() {
        return "p" + (nextParticipant++);
    }

    public String id() {
        return id;
    }

    public long createdAtMillis() {
        return createdAtMillis;
    }

    public Collection<Participant> participants() {
        return participants.values();
    }

    List<Participant> others(Participant p) {
        List<Participant> out = new ArrayList<>(participants.size());
        for (Participant o : participants.values()) {
            if (o != p) {
                out.add(o);
            }
        }
        return out;
    }
}
