package io.sfufleet.sfu.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.model.signal.TrackKind;
import io.sfufleet.sfu.SfuNode;
import io.sfufleet.sfu.browser.ClientView.E2ee;
import io.sfufleet.sfu.browser.ClientView.Inbound;
import io.sfufleet.sfu.browser.ClientView.Sample;
import io.sfufleet.sfu.call.ForwardLoss;
import io.sfufleet.sfu.call.Participant;
import io.sfufleet.sfu.call.Track;
import io.sfufleet.sfu.rtp.PacketBuffer;
import io.sfufleet.sfu.rtp.Rtp;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javax.crypto.Cipher;
import javax.crypto.KDF;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.HKDFParameterSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * End-to-end encryption through the node: two browsers with the same key in the URL fragment see
 * and hear each other; what the node forwards (SRTP decrypted, as the node has it) holds none of
 * the plaintext frames their transforms encrypted; a third browser with another key decodes
 * nothing and counts its failures.
 */
class E2eeBrowserTest {
    private static final Path OUT = Path.of("target", "browser-tests");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int WINDOW = 16;
    /** Bounds what the node's hook keeps: about 10 s of both media of three publishers. */
    private static final int MAX_CAPTURED = 6000;

    private SfuNode node;
    private final List<Browser> browsers = new ArrayList<>();

    @AfterEach
    void stop() {
        BrowserTests.closeAll(browsers, node);
    }

    /**
     * With the node's default codecs the camera goes as VP8 simulcast. A node that prefers AV1
     * gets layered VP9 from encrypting clients: AV1's packetizer reads the frame, which they
     * encrypt, so they never offer it.
     */
    @ParameterizedTest
    @CsvSource({"vp8, video/VP8", "'av1,vp9,vp8', video/VP9"})
    void mediaDecodesWithTheSharedKeyWhileTheNodeForwardsNoPlaintextAndAWrongKeyDecodesNothing(
            String nodeCodecs, String expectedCodec) throws Exception {
        BrowserTests.requireBrowserEnvironment();
        AtomicBoolean capturing = new AtomicBoolean();
        ConcurrentLinkedQueue<byte[]> forwarded = new ConcurrentLinkedQueue<>();
        AtomicInteger captured = new AtomicInteger();
        // Sees every packet the node forwards, after SRTP decryption: all the node could read.
        ForwardLoss tap = new ForwardLoss() {
            @Override
            public boolean drop(Track track, Participant receiver) {
                return false;
            }

            @Override
            public boolean drop(Track track, Participant receiver, PacketBuffer p) {
                if (capturing.get() && captured.get() < MAX_CAPTURED) {
                    byte[] b = p.getBuffer();
                    int off = p.getOffset();
                    int len = p.getLength();
                    int header = Rtp.headerLength(b, off, len);
                    int end = len - (Rtp.hasPadding(b, off) ? b[off + len - 1] & 0xFF : 0);
                    if (header >= 0 && end > header) {
                        byte[] payload = new byte[end - header + 1];
                        payload[0] = (byte) (track.kind() == TrackKind.audio ? 'a' : 'v');
                        System.arraycopy(b, off + header, payload, 1, end - header);
                        forwarded.add(payload);
                        captured.incrementAndGet();
                    }
                }
                return false;
            }
        };
        node = BrowserTests.startNode(tap, java.util.Map.of("SFU_MEDIA_VIDEO_CODECS", nodeCodecs));
        String shared = randomKey();
        String other = randomKey();
        Browser alice = launch("E2eeAlice", shared, "");
        // Bob takes the older API, which Chromium still has: the two paths interoperate
        Browser bob = launch("E2eeBob", shared, "&e2eeapi=streams");
        Browser eve = launch("E2eeEve", other, "");

        await("all connected, each receiving the two others' audio and video", () -> browsers.stream()
                .allMatch(b -> b.stats().connected() && b.remoteTracks().size() == 4));
        String aliceId = alice.participantId();
        String bobId = bob.participantId();
        await("Alice and Bob decode each other's video", () -> decoded(alice, bobId, "video") > 10
                && decoded(bob, aliceId, "video") > 10);
        await("Alice and Bob show each other's video, not black", () -> alice.litShare(bobId) > 0.1
                && bob.litShare(aliceId) > 0.1);

        capturing.set(true);
        Thread.sleep(3000); // the samples read next were encrypted while the node captured
        List<Sample> samples = new ArrayList<>(alice.e2ee().samples());
        samples.addAll(bob.e2ee().samples());
        Thread.sleep(1000); // and forwarded by now
        capturing.set(false);

        alice.screenshot(OUT.resolve("e2ee-alice.png"));
        eve.screenshot(OUT.resolve("e2ee-eve.png"));
        E2ee a = alice.e2ee();
        E2ee b = bob.e2ee();
        E2ee e = eve.e2ee();
        long samplesBefore = bob.stats().from(aliceId).stream().filter(in -> "audio".equals(in.kind()))
                .mapToLong(Inbound::totalSamplesReceived).sum();
        Set<ByteBuffer> windows = new HashSet<>();
        // the control: forwarded audio decrypted here with the shared key, as Bob's browser does
        Set<ByteBuffer> audioOpened = new HashSet<>();
        SecretKey frameKey = frameKey(shared);
        for (byte[] p : forwarded) {
            for (int i = 1; i + WINDOW <= p.length; i++) {
                windows.add(ByteBuffer.wrap(p, i, WINDOW).slice());
            }
            if (p[0] == 'a') {
                byte[] plain = openAudioFrame(frameKey, Arrays.copyOfRange(p, 1, p.length));
                if (plain != null) {
                    audioOpened.add(ByteBuffer.wrap(plain, 0, Math.min(plain.length, 1200)));
                }
            }
        }
        int plaintextFound = 0;
        int audioMatched = 0;
        int audioSamples = 0;
        for (Sample s : samples) {
            byte[] plain = Base64.getDecoder().decode(s.plaintext());
            for (int i = 0; i + WINDOW <= plain.length; i++) {
                if (windows.contains(ByteBuffer.wrap(plain, i, WINDOW).slice())) {
                    plaintextFound++;
                    break;
                }
            }
            if (s.kind().equals("audio")) {
                audioSamples++;
                if (audioOpened.contains(ByteBuffer.wrap(plain))) {
                    audioMatched++;
                }
            }
        }
        String aliceApi = String.valueOf(alice.execute(
                "return sfu.logs().find(l => l.includes('end-to-end encryption on'));"));
        String bobApi = String.valueOf(bob.execute("return sfu.logs().find(l => l.includes('end-to-end encryption on'));"));
        String report = "Alice: " + aliceApi + "; Bob: " + bobApi + "; Alice " + counters(a) + "; Bob " + counters(b) + "; Eve " + counters(e) + "; node captured "
                + captured.get() + " packets; " + samples.size() + " plaintext samples, " + plaintextFound
                + " found in the forwarded payloads; " + audioMatched + " of " + audioSamples
                + " audio samples forwarded encrypted (opened with the shared key)";
        System.getLogger(E2eeBrowserTest.class.getName()).log(System.Logger.Level.INFO, report);

        assertThat(aliceApi).as(report).endsWith("through RTCRtpScriptTransform");
        for (var pair : List.of(List.of(alice, bobId), List.of(bob, aliceId))) {
            Browser x = (Browser) pair.get(0);
            assertThat(x.stats().inbound().stream()
                    .filter(in -> "video".equals(in.kind()) && in.participantId().equals(pair.get(1))).map(Inbound::codec))
                    .as(report).singleElement().asString().isEqualToIgnoringCase(expectedCodec);
        }
        assertThat(bobApi).as(report).endsWith("through createEncodedStreams");
        for (E2ee x : List.of(a, b)) {
            assertThat(x.framesEncrypted()).as(report).isPositive();
            assertThat(x.audioDecrypted()).as("audio decrypted: " + report).isPositive();
            assertThat(x.videoDecrypted()).as("video decrypted: " + report).isPositive();
            assertThat(x.unsupportedFrames()).as(report).isZero();
        }
        assertThat(samplesBefore).as("Bob's audio from Alice plays: " + report).isPositive();
        // Eve publishes with her key: the others drop her frames, and she can read none of theirs.
        assertThat(e.framesEncrypted()).as(report).isPositive();
        assertThat(e.framesDecrypted()).as(report).isZero();
        assertThat(e.decryptFailures()).as(report).isPositive();
        assertThat(eve.stats().inbound().stream().filter(in -> "video".equals(in.kind()))
                .mapToLong(Inbound::framesDecoded).sum()).as("Eve decodes no video: " + report).isZero();
        assertThat(a.decryptFailures()).as("Alice cannot read Eve: " + report).isPositive();

        assertThat(samples.stream().map(Sample::kind).collect(Collectors.toSet())).as(report)
                .contains("audio", "video");
        assertThat(captured.get()).as(report).isGreaterThan(100);
        assertThat(plaintextFound).as("plaintext frames with a 16-byte window in what the node forwarded: "
                + report).isZero();
        // The control: the node did capture the sampled frames, in encrypted form.
        assertThat(audioMatched).as("sampled audio frames the node forwarded encrypted, of "
                + audioSamples + ": " + report).isGreaterThan(audioSamples / 2);
    }

    private Browser launch(String name, String key, String moreParams) {
        Browser b = Browser.launch(name, OUT);
        browsers.add(b);
        b.open(node.clientUrl() + "?call=e2ee&name=" + name + "&autojoin=1&e2eesamples=1" + moreParams + "#e2ee=" + key);
        return b;
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key);
    }

    /** The worker's AES-GCM key: HKDF-SHA-256 of the secret, salt "sfu-fleet e2ee v1", info "frame key". */
    private static SecretKey frameKey(String base64url) throws Exception {
        return KDF.getInstance("HKDF-SHA256").deriveKey("AES", HKDFParameterSpec.ofExtract()
                .addIKM(Base64.getUrlDecoder().decode(base64url))
                .addSalt("sfu-fleet e2ee v1".getBytes(StandardCharsets.UTF_8))
                .thenExpand("frame key".getBytes(StandardCharsets.UTF_8), 16));
    }

    /** An audio frame (all of it encrypted): ciphertext and tag, 12-byte IV, key id; null if it does not open. */
    private static byte[] openAudioFrame(SecretKey key, byte[] frame) {
        if (frame.length < 16 + 13) {
            return null;
        }
        try {
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, frame, frame.length - 13, 12));
            return gcm.doFinal(frame, 0, frame.length - 13);
        } catch (GeneralSecurityException e) {
            return null; // another key's frame (Eve's), or not a frame of ours
        }
    }

    private static long decoded(Browser b, String from, String kind) {
        return b.stats().from(from).stream().filter(in -> kind.equals(in.kind()))
                .mapToLong(Inbound::framesDecoded).sum();
    }

    private static String counters(E2ee e) {
        return "{encrypted " + e.framesEncrypted() + ", decrypted audio " + e.audioDecrypted() + " video "
                + e.videoDecrypted() + ", failures " + e.decryptFailures() + " (unknown key " + e.unknownKeyFrames()
                + "), unsupported " + e.unsupportedFrames() + "}";
    }

    private void await(String what, Supplier<Boolean> condition) throws InterruptedException {
        BrowserTests.await(what, TIMEOUT, browsers, condition);
    }
}
