package io.sfufleet.sfu.loadtest.media;

import io.sfufleet.model.signal.MediaSource;

/**
 * What a synthetic source sends: frames per second and their sizes. The sizes make the bit rates
 * the issue asks for: Opus at 32 kbit/s in 20 ms packets; a camera at about 350 kbit/s (30 frames of
 * about 1.46 KB); a screen share at about 1.5 Mbit/s (15 frames of about 12.5 KB). A keyframe, sent
 * first and after every PLI or FIR, is several delta frames big, as real encoders make them.
 */
public enum MediaProfile {
    AUDIO(MediaSource.microphone, "audio", 48_000, 50, 80, 80),
    CAMERA(MediaSource.camera, "video", 90_000, 30, 1_458, 8_750),
    SCREEN(MediaSource.screen, "video", 90_000, 15, 12_500, 37_500);

    /** Payload bytes per RTP packet at most: with header and SRTP tag well under a 1200-byte path MTU. */
    public static final int MAX_PAYLOAD = 1_100;

    public final MediaSource source;
    public final String kind;
    public final int clockRate;
    public final int framesPerSecond;
    public final int deltaFrameBytes;
    public final int keyframeBytes;

    MediaProfile(MediaSource source, String kind, int clockRate, int framesPerSecond, int deltaFrameBytes,
                 int keyframeBytes) {
        this.source = source;
        this.kind = kind;
        this.clockRate = clockRate;
        this.framesPerSecond = framesPerSecond;
        this.deltaFrameBytes = deltaFrameBytes;
        this.keyframeBytes = keyframeBytes;
    }

    public long frameIntervalNanos() {
        return 1_000_000_000L / framesPerSecond;
    }

    /** Media bits per second without keyframes, RTP payload only. */
    public long nominalBitsPerSecond() {
        return 8L * deltaFrameBytes * framesPerSecond;
    }
}
