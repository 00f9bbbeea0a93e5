package io.sfufleet.sfu.loadtest.client;

import io.sfufleet.sfu.loadtest.media.DelayHistogram;
import io.sfufleet.sfu.loadtest.media.MediaProfile;
import io.sfufleet.sfu.loadtest.media.ReceiveStream;
import io.sfufleet.sfu.loadtest.media.RtpStreamSender;
import io.sfufleet.sfu.loadtest.peer.ClientPeerConnection;
import io.sfufleet.sfu.loadtest.peer.ClientSdp;
import io.sfufleet.sfu.rtcp.Rtcp;
import io.sfufleet.sfu.rtp.PacketBuffer;
import io.sfufleet.sfu.rtp.Rtp;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The media half of a synthetic participant, whatever the signalling: its publish and subscribe
 * connections, the senders on the first (paced by the runtime's media threads, keyframes on PLI and
 * FIR), the received streams of the second (sequence, loss, delay) with receiver reports once a
 * second, and the participant's counters. Signalling adapters (the node's protocol, Janus's
 * VideoRoom) drive it.
 */
public final class MediaEndpoint {
    private static final long REPORT_INTERVAL_MILLIS = 1_000;

    private final ClientRuntime runtime;
    private final String label;
    private final DelayHistogram delays = new DelayHistogram();
    private final Map<Integer, ReceiveStream> streams = new ConcurrentHashMap<>();
    private final List<RtpStreamSender> senders = new ArrayList<>();
    private final List<ScheduledFuture<?>> senderTasks = new ArrayList<>();
    private final AtomicLong keyframeRequests = new AtomicLong();
    private final Map<Integer, long[]> lastReport = new HashMap<>();
    /** Per media SSRC: the middle 32 bits of the last sender report's NTP time and when it arrived. */
    private final Map<Integer, long[]> lastSenderReport = new ConcurrentHashMap<>();
    private final PacketBuffer reportBuffer = new PacketBuffer(1500);
    private final int reportSsrc = ThreadLocalRandom.current().nextInt() | 1;
    private volatile ClientPeerConnection publish;
    private volatile ClientPeerConnection subscribe;
    private volatile ScheduledFuture<?> reports;
    private volatile String lastError;
    private volatile boolean closed;

    public MediaEndpoint(ClientRuntime runtime, String label) {
        this.runtime = runtime;
        this.label = label;
    }

    /** The m-sections of a publish offer for these sources, each with a fresh SSRC. */
    public static List<ClientSdp.Outgoing> outgoing(boolean audio, boolean camera, boolean screen) {
        List<ClientSdp.Outgoing> sections = new ArrayList<>();
        if (audio) {
            sections.add(new ClientSdp.Outgoing("0", MediaProfile.AUDIO, randomSsrc()));
        }
        if (camera) {
            sections.add(new ClientSdp.Outgoing(Integer.toString(sections.size()), MediaProfile.CAMERA, randomSsrc()));
        }
        if (screen) {
            sections.add(new ClientSdp.Outgoing(Integer.toString(sections.size()), MediaProfile.SCREEN, randomSsrc()));
        }
        return sections;
    }

    private static int randomSsrc() {
        return ThreadLocalRandom.current().nextInt() | 1;
    }

    public ClientPeerConnection openPublish() throws JoinFailedException {
        try {
            publish = new ClientPeerConnection(label + "-pub", runtime.bindAddress(), runtime.certificate(),
                    runtime.timers(), new ClientPeerConnection.Listener() {
                        @Override
                        public void onRtp(byte[] b, int off, int len, long nanos) {
                            // servers send no media on the publish connection
                        }

                        @Override
                        public void onRtcp(byte[] b, int off, int len) {
                            onPublisherRtcp(b, off, len);
                        }
                    });
        } catch (IOException e) {
            throw new JoinFailedException(label + ": cannot open a UDP socket: " + e.getMessage(), e);
        }
        if (closed) {
            publish.close();
        }
        return publish;
    }

    /** The subscribe connection, made on first use. */
    public synchronized ClientPeerConnection subscribeConnection() throws IOException {
        if (subscribe == null) {
            subscribe = new ClientPeerConnection(label + "-sub", runtime.bindAddress(), runtime.certificate(),
                    runtime.timers(), new ClientPeerConnection.Listener() {
                        @Override
                        public void onRtp(byte[] b, int off, int len, long nanos) {
                            onReceivedRtp(b, off, len, nanos);
                        }

                        @Override
                        public void onRtcp(byte[] b, int off, int len) {
                            onSubscriberRtcp(b, off, len, System.nanoTime());
                        }
                    });
            if (closed) {
                subscribe.close();
            }
        }
        return subscribe;
    }

    public ClientPeerConnection publishConnection() {
        return publish;
    }

    public ClientPeerConnection subscribeConnectionIfAny() {
        return subscribe;
    }

    /** Starts one sender per m-section on the (connected) publish connection, at random phases. */
    public void startSenders(List<ClientSdp.Outgoing> sections) {
        ClientPeerConnection pc = publish;
        for (ClientSdp.Outgoing s : sections) {
            int pt = s.profile() == MediaProfile.AUDIO ? ClientSdp.OPUS_PT : ClientSdp.VP8_PT;
            RtpStreamSender sender = new RtpStreamSender(s.profile(), s.ssrc(), pt, pc::sendRtp);
            long period = s.profile().frameIntervalNanos();
            // random phases, so many participants do not all send in one burst
            long phase = ThreadLocalRandom.current().nextLong(period);
            synchronized (senders) {
                if (closed) {
                    return;
                }
                senders.add(sender);
                senderTasks.add(runtime.media().scheduleAtFixedRate(guarded(sender::sendFrame), phase, period,
                        TimeUnit.NANOSECONDS));
            }
        }
    }

    public void startReports() {
        reports = runtime.timers().scheduleWithFixedDelay(guarded(this::sendReports), REPORT_INTERVAL_MILLIS,
                REPORT_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
    }

    private Runnable guarded(Runnable r) {
        return () -> {
            try {
                r.run();
            } catch (RuntimeException e) {
                // a periodic task that throws is never run again: note it and keep going
                lastError = "media task: " + e;
            }
        };
    }

    public void stopSending() {
        synchronized (senders) {
            for (ScheduledFuture<?> f : senderTasks) {
                f.cancel(false);
            }
        }
    }

    public String lastError() {
        return lastError;
    }

    public DelayHistogram delays() {
        return delays;
    }

    /** Whether packets arrived on this SSRC. */
    public boolean hasMedia(long ssrc) {
        ReceiveStream s = streams.get((int) ssrc);
        return s != null && s.packets() > 0;
    }

    /** How many received SSRCs delivered packets. */
    public int streamsWithMedia() {
        int n = 0;
        for (ReceiveStream s : streams.values()) {
            if (s.packets() > 0) {
                n++;
            }
        }
        return n;
    }

    private void onReceivedRtp(byte[] b, int off, int len, long nanos) {
        int ssrc = Rtp.ssrc(b, off);
        ReceiveStream s = streams.get(ssrc);
        if (s == null) {
            s = new ReceiveStream(ssrc, delays);
            streams.put(ssrc, s);
        }
        s.onPacket(b, off, len, nanos);
    }

    /** PLI (RFC 4585 section 6.3.1) and FIR (RFC 5104 section 4.3.1) about our video ask for a keyframe. */
    private void onPublisherRtcp(byte[] b, int off, int len) {
        int pos = off;
        int end = off + len;
        while (pos + 12 <= end) {
            int type = Rtcp.packetType(b, pos);
            int fmt = Rtcp.countOrFmt(b, pos);
            int length = Rtcp.packetLength(b, pos);
            if (type == Rtcp.PSFB && (fmt == Rtcp.FMT_PLI || fmt == Rtcp.FMT_FIR)) {
                int media = fmt == Rtcp.FMT_PLI ? Rtcp.mediaSsrc(b, pos)
                        : (pos + 16 <= end ? (int) Rtp.readUint32(b, pos + 12) : 0);
                synchronized (senders) {
                    for (RtpStreamSender s : senders) {
                        if (s.ssrc() == media && s.profile() != MediaProfile.AUDIO) {
                            s.requestKeyframe();
                            keyframeRequests.incrementAndGet();
                        }
                    }
                }
            }
            if (length <= 0) {
                return;
            }
            pos += length;
        }
    }

    /** Sender reports the server forwarded: remembered so receiver reports echo them (LSR, DLSR) as browsers do. */
    private void onSubscriberRtcp(byte[] b, int off, int len, long nowNanos) {
        int pos = off;
        int end = off + len;
        while (pos + 8 <= end) {
            int length = Rtcp.packetLength(b, pos);
            if (length <= 0 || pos + length > end) {
                return;
            }
            if (Rtcp.packetType(b, pos) == Rtcp.SR && length >= 28) {
                long middle = (Rtp.readUint32(b, pos + 8) << 16 | Rtp.readUint32(b, pos + 12) >>> 16) & 0xFFFFFFFFL;
                lastSenderReport.put(Rtcp.senderSsrc(b, pos), new long[] {middle, nowNanos});
            }
            pos += length;
        }
    }

    /**
     * Sender reports (RFC 3550 section 6.4.1) on the publish connection, one per stream in one
     * compound packet, as a browser sends them. Timer thread only.
     */
    private void sendSenderReports() {
        ClientPeerConnection pc = publish;
        if (pc == null || !pc.isConnected()) {
            return;
        }
        long now = System.nanoTime();
        long ntp = ntp(System.currentTimeMillis());
        byte[] b = reportBuffer.getBuffer();
        int len = 0;
        synchronized (senders) {
            for (RtpStreamSender s : senders) {
                long ts = s.rtpTimestampAt(now);
                if (ts >= 0 && len + 28 <= 1_200) {
                    len += Rtcp.writeSenderReport(b, len, s.ssrc(), ntp, ts, s.packetsSent(), s.bytesSent());
                }
            }
        }
        if (len > 0) {
            reportBuffer.setOffset(0);
            reportBuffer.setLength(len);
            pc.sendRtcp(reportBuffer);
        }
    }

    /** NTP time (seconds since 1900 in the upper 32 bits, the fraction in the lower) of a Unix time. */
    static long ntp(long unixMillis) {
        long seconds = unixMillis / 1000 + 2_208_988_800L;
        long fraction = (unixMillis % 1000) * 0x1_0000_0000L / 1000;
        return seconds << 32 | fraction;
    }

    private void sendReports() {
        sendSenderReports();
        sendReceiverReports();
    }

    /** Receiver reports (RFC 3550 section 6.4.2) on the subscribe connection, as a browser sends them. Timer thread only. */
    private void sendReceiverReports() {
        ClientPeerConnection pc = subscribe;
        if (pc == null || !pc.isConnected() || streams.isEmpty()) {
            return;
        }
        List<ReceiveStream> list = new ArrayList<>(streams.values());
        int count = Math.min(31, list.size());
        int[] ssrcs = new int[count];
        int[] fraction = new int[count];
        int[] cumulative = new int[count];
        long[] highest = new long[count];
        long[] zeros = new long[count];
        long[] lsr = new long[count];
        long[] dlsr = new long[count];
        long now = System.nanoTime();
        for (int i = 0; i < count; i++) {
            ReceiveStream s = list.get(i);
            long expected = s.expected();
            long received = s.packets();
            long[] prev = lastReport.getOrDefault(s.ssrc(), new long[2]);
            long expectedInterval = expected - prev[0];
            long lostInterval = expectedInterval - (received - prev[1]);
            fraction[i] = expectedInterval <= 0 || lostInterval <= 0 ? 0 : (int) ((lostInterval << 8) / expectedInterval);
            lastReport.put(s.ssrc(), new long[] {expected, received});
            ssrcs[i] = s.ssrc();
            cumulative[i] = (int) Math.min(0x7FFFFF, s.lost());
            highest[i] = s.extendedHighestSequence() & 0xFFFFFFFFL;
            long[] sr = lastSenderReport.get(s.ssrc());
            if (sr != null) {
                lsr[i] = sr[0];
                dlsr[i] = Math.min(0xFFFFFFFFL, (now - sr[1]) * 65_536 / 1_000_000_000L);
            }
        }
        int len = Rtcp.writeReceiverReport(reportBuffer.getBuffer(), 0, reportSsrc, count, ssrcs, fraction,
                cumulative, highest, zeros, lsr, dlsr);
        reportBuffer.setOffset(0);
        reportBuffer.setLength(len);
        pc.sendRtcp(reportBuffer);
    }

    public ParticipantStats stats(String participantId, long joinMillis) {
        long sent = 0;
        long sentBytes = 0;
        long keyframes = 0;
        synchronized (senders) {
            for (RtpStreamSender s : senders) {
                sent += s.packetsSent();
                sentBytes += s.bytesSent();
                keyframes += s.keyframesSent();
            }
        }
        long received = 0;
        long receivedBytes = 0;
        long expected = 0;
        long lost = 0;
        long duplicates = 0;
        long lastDelay = -1;
        for (ReceiveStream s : streams.values()) {
            received += s.packets();
            receivedBytes += s.bytes();
            expected += s.expected();
            lost += s.lost();
            duplicates += s.duplicates();
            lastDelay = Math.max(lastDelay, s.lastDelayMicros());
        }
        ClientPeerConnection p = publish;
        ClientPeerConnection s = subscribe;
        long srtpErrors = (p == null ? 0 : p.srtpErrors()) + (s == null ? 0 : s.srtpErrors());
        return new ParticipantStats(participantId, sent, sentBytes, received, receivedBytes, expected, lost, duplicates,
                lastDelay, keyframes, keyframeRequests.get(), srtpErrors, streams.size(), joinMillis);
    }

    /** Stops the senders and reports and closes both connections (DTLS close_notify first). */
    public void close() {
        synchronized (senders) {
            closed = true;
            for (ScheduledFuture<?> f : senderTasks) {
                f.cancel(false);
            }
        }
        ScheduledFuture<?> r = reports;
        if (r != null) {
            r.cancel(false);
        }
        ClientPeerConnection p = publish;
        if (p != null) {
            p.close();
        }
        ClientPeerConnection s;
        synchronized (this) {
            s = subscribe;
        }
        if (s != null) {
            s.close();
        }
    }
}
