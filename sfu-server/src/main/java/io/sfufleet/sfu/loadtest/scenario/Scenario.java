package io.sfufleet.sfu.loadtest.scenario;

import java.time.Duration;

/**
 * A load scenario in the terms of rtcd's {@code lt}: {@code calls} calls of {@code usersPerCall}
 * participants; in each call the first {@code unmuted} participants send audio and the first
 * {@code video} send camera video; the first {@code screenSharing} calls have one participant
 * (the last) sharing a screen. Everybody receives everything. Participants join at {@code rampPerSecond},
 * then the load holds for {@code duration}.
 */
public record Scenario(int calls, int usersPerCall, int unmuted, int video, int screenSharing,
                       Duration duration, double rampPerSecond, Duration joinTimeout) {
    /** Hard caps, whatever the command line says: this tool runs on one machine against loopback. */
    public static final int MAX_PARTICIPANTS = 2_000;
    public static final int MAX_USERS_PER_CALL = 500;
    public static final Duration MAX_DURATION = Duration.ofHours(1);
    public static final double MAX_RAMP = 200;

    public Scenario {
        check("calls", calls, 1, MAX_PARTICIPANTS);
        check("users-per-call", usersPerCall, 1, MAX_USERS_PER_CALL);
        if ((long) calls * usersPerCall > MAX_PARTICIPANTS) {
            throw new IllegalArgumentException("calls x users-per-call = " + (long) calls * usersPerCall
                    + " participants, more than the cap of " + MAX_PARTICIPANTS);
        }
        check("unmuted", unmuted, 0, usersPerCall);
        check("video", video, 0, usersPerCall);
        check("screen-sharing", screenSharing, 0, calls);
        if (duration == null || duration.isNegative() || duration.isZero() || duration.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException("duration must be more than 0 and at most " + MAX_DURATION + ", got " + duration);
        }
        if (!(rampPerSecond > 0 && rampPerSecond <= MAX_RAMP)) {
            throw new IllegalArgumentException("ramp must be more than 0 and at most " + MAX_RAMP + " joins per second, got "
                    + rampPerSecond);
        }
        if (joinTimeout == null || joinTimeout.isNegative() || joinTimeout.isZero()) {
            throw new IllegalArgumentException("join timeout must be positive, got " + joinTimeout);
        }
    }

    private static void check(String name, int v, int min, int max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(name + " must be " + min + " to " + max + ", got " + v);
        }
    }

    public int participants() {
        return calls * usersPerCall;
    }

    public boolean sendsAudio(int call, int user) {
        return user < unmuted;
    }

    public boolean sendsCamera(int call, int user) {
        return user < video;
    }

    public boolean sharesScreen(int call, int user) {
        return call < screenSharing && user == usersPerCall - 1;
    }

    /** The same scenario with another number of calls (capacity mode raises it step by step). */
    public Scenario withCalls(int n) {
        return new Scenario(n, usersPerCall, unmuted, video, Math.min(screenSharing, n), duration, rampPerSecond, joinTimeout);
    }

    /** "20 calls x 8 users, 2 unmuted, 0 video, 0 screen" */
    public String describe() {
        return calls + " calls x " + usersPerCall + " users, " + unmuted + " unmuted, " + video + " video, "
                + screenSharing + " screen";
    }

    /** Media streams the server receives from the clients, per second, as the scenario intends (RTP packets). */
    public long nominalPacketsInPerSecond() {
        long perCall = unmuted * 50L + video * 60L; // camera: ~30 frames of ~2 packets
        return calls * perCall + screenSharing * 15L * 12;
    }
}
