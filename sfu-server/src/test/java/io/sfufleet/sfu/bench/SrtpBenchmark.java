package io.sfufleet.sfu.bench;

import io.sfufleet.sfu.rtp.PacketBuffer;
import io.sfufleet.sfu.srtp.SrtpKeyingMaterial;
import io.sfufleet.sfu.srtp.SrtpProfile;
import io.sfufleet.sfu.srtp.SrtpResult;
import io.sfufleet.sfu.srtp.JitsiSrtpSession;
import io.sfufleet.sfu.srtp.SrtpSession;
import io.sfufleet.sfu.srtp.SrtpTestSupport;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * SRTP protect and unprotect of one RTP packet on {@link SrtpSession} (and on jitsi-srtp, for the
 * before/after ratio in one run), for an audio-sized (160-byte
 * payload) and a video-sized (1200-byte payload) packet under both profiles. Each operation also
 * copies the packet into the working buffer first, as the media loop does when it takes a datagram.
 *
 * <p>Unprotect cannot reuse one ciphertext (the second time it is a replay), so it walks a ring of
 * {@value #RING} packets protected in advance with consecutive sequence numbers, and takes a fresh
 * receiver session for each pass. The receivers are made and given their first packet in the
 * per-iteration set-up, outside the timed loop; the set-up's garbage does show up, spread over the
 * iteration's operations, in {@code -prof gc}'s figure for {@link #unprotectRtp}, while
 * {@link #protectRtp} has none.
 *
 * <p>Run with {@code bench/jmh.sh SrtpBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SrtpBenchmark {
    /** What both implementations offer; each fork only ever sees one of them. */
    interface Srtp extends AutoCloseable {
        SrtpResult protectRtp(PacketBuffer p);

        SrtpResult unprotectRtp(PacketBuffer p);

        long count(SrtpResult r);

        @Override
        void close();
    }

    private Srtp session(boolean weAreDtlsServer) {
        if (impl.equals("jitsi")) {
            JitsiSrtpSession s = new JitsiSrtpSession(keys, weAreDtlsServer);
            return new Srtp() {
                public SrtpResult protectRtp(PacketBuffer p) {
                    return s.protectRtp(p);
                }

                public SrtpResult unprotectRtp(PacketBuffer p) {
                    return s.unprotectRtp(p);
                }

                public long count(SrtpResult r) {
                    return s.count(r);
                }

                public void close() {
                    s.close();
                }
            };
        }
        SrtpSession s = new SrtpSession(keys, weAreDtlsServer);
        return new Srtp() {
            public SrtpResult protectRtp(PacketBuffer p) {
                return s.protectRtp(p);
            }

            public SrtpResult unprotectRtp(PacketBuffer p) {
                return s.unprotectRtp(p);
            }

            public long count(SrtpResult r) {
                return s.count(r);
            }

            public void close() {
                s.close();
            }
        };
    }

    private static final int SSRC = 0x0bad_cafe;
    private static final int RING = 1024;

    @Param({"AEAD_AES_128_GCM", "AES128_CM_HMAC_SHA1_80"})
    public SrtpProfile profile;

    @Param({"160", "1200"})
    public int payload;

    /** {@code own}: {@link Srtp}; {@code jitsi}: jitsi-srtp 1.1, what the node used before. */
    @Param({"own", "jitsi"})
    public String impl;

    private SrtpKeyingMaterial keys;
    private final PacketBuffer packet = SrtpTestSupport.buffer();

    private Srtp sender;
    private byte[] plain;
    private int seq;

    /** ring[0] primes a receiver; ring[1..RING] are what the timed loop unprotects. */
    private byte[][] ring;
    private final ArrayDeque<Srtp> spareReceivers = new ArrayDeque<>();
    private int receiversPerIteration = 64;
    private boolean ranOut;
    private Srtp receiver;
    private int ringPosition;

    @Setup(Level.Trial)
    public void setUp() {
        keys = SrtpTestSupport.keys(profile);
        // The DTLS server side protects and the client unprotects: the SFU's send path and a
        // participant's (or the load tool's) receive path.
        sender = session(true);
        plain = SrtpTestSupport.rtp(0, SSRC, payload);

        ring = new byte[RING + 1][];
        try (Srtp ringSender = session(true)) {
            for (int i = 0; i <= RING; i++) {
                byte[] p = SrtpTestSupport.rtp(i, SSRC, payload);
                packet.set(p, 0, p.length);
                check(ringSender.protectRtp(packet));
                ring[i] = Arrays.copyOf(packet.getBuffer(), packet.getLength());
            }
        }
    }

    @Setup(Level.Iteration)
    public void prepareReceivers() {
        if (ranOut) {
            receiversPerIteration *= 2;
            ranOut = false;
        }
        while (spareReceivers.size() < receiversPerIteration) {
            spareReceivers.add(primedReceiver());
        }
        receiver = spareReceivers.poll();
        ringPosition = 0;
    }

    @TearDown(Level.Iteration)
    public void dropReceivers() {
        requireAllOk(sender);
        requireAllOk(receiver);
        receiver.close();
        spareReceivers.forEach(Srtp::close);
        spareReceivers.clear();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        sender.close();
    }

    @Benchmark
    public SrtpResult protectRtp() {
        int s = seq++;
        plain[2] = (byte) (s >> 8);
        plain[3] = (byte) s;
        packet.set(plain, 0, plain.length);
        return sender.protectRtp(packet);
    }

    @Benchmark
    public SrtpResult unprotectRtp() {
        if (ringPosition == RING) {
            requireAllOk(receiver);
            receiver.close();
            receiver = nextReceiver();
            ringPosition = 0;
        }
        byte[] wire = ring[++ringPosition];
        packet.set(wire, 0, wire.length);
        return receiver.unprotectRtp(packet);
    }

    private Srtp nextReceiver() {
        Srtp next = spareReceivers.poll();
        if (next == null) {
            // Timed, but only until the next iteration's set-up makes twice as many.
            ranOut = true;
            next = primedReceiver();
        }
        return next;
    }

    private Srtp primedReceiver() {
        Srtp r = session(false);
        packet.set(ring[0], 0, ring[0].length);
        check(r.unprotectRtp(packet));
        return r;
    }

    /** A figure for packets that failed would be meaningless, so any failure stops the run. */
    private static void requireAllOk(Srtp session) {
        for (SrtpResult r : SrtpResult.values()) {
            if (r != SrtpResult.OK && session.count(r) != 0) {
                throw new IllegalStateException(session.count(r) + " packets ended " + r);
            }
        }
    }

    private static void check(SrtpResult result) {
        if (result != SrtpResult.OK) {
            throw new IllegalStateException("benchmark set-up: " + result);
        }
    }
}
