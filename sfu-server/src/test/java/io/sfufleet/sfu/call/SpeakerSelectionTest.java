package io.sfufleet.sfu.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.model.signal.DominantSpeaker;
import io.sfufleet.model.signal.PublishOffer;
import io.sfufleet.model.signal.SubscribeAnswer;
import io.sfufleet.model.signal.SubscribeOffer;
import io.sfufleet.model.signal.TrackKind;
import io.sfufleet.sfu.rtp.PacketBuffer;
import io.sfufleet.sfu.rtp.PacketPool;
import io.sfufleet.sfu.rtp.Rtp;
import io.sfufleet.sfu.sdp.ChromeOffers;
import io.sfufleet.sfu.srtp.SrtpResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Top-N audio and last-N video in a call of eight publishers, on the node's real call state
 * ({@link ForwardingFixture}): who each receiver gets, the dominant speaker, and the audio level
 * read from a protected packet before decryption.
 */
class SpeakerSelectionTest {
    private static final long SECOND = 1_000_000_000L;

    /** The fixture's publisher plus 7 receivers that each publish audio and video with SSRCs of their own. */
    private static ForwardingFixture eightPublishers() throws Exception {
        ForwardingFixture f = ForwardingFixture.builder().receivers(7).build();
        for (int i = 0; i < 7; i++) {
            String offer = ChromeOffers.PUBLISH_AUDIO_VIDEO.replace("a=ssrc:1001 ", "a=ssrc:" + (3000 + i) + " ")
                    .replace("a=ssrc:2001 ", "a=ssrc:" + (4000 + i) + " ");
            f.receiver(i).onPublishOffer(new PublishOffer(offer, ForwardingFixture.CHROME_TRACKS));
        }
        // Answer subscribe offers until nobody has one outstanding.
        Random random = new Random(5);
        for (int round = 0; round < 10; round++) {
            f.loop().runPending();
            List<Participant> all = participants(f);
            boolean answered = false;
            for (Participant p : all) {
                ForwardingFixture.RecordingPeer peer = (ForwardingFixture.RecordingPeer) p.peer;
                for (var m : List.copyOf(peer.messages())) {
                    if (m instanceof SubscribeOffer o && o.revision() == p.outstandingRevisionForTests()) {
                        p.onSubscribeAnswer(new SubscribeAnswer(ForwardingFixture.answerFor(o.sdp(), random), o.revision()));
                        answered = true;
                    }
                }
            }
            if (!answered) {
                break;
            }
        }
        return f;
    }

    private static List<Participant> participants(ForwardingFixture f) {
        List<Participant> all = new ArrayList<>();
        all.add(f.publisher());
        for (int i = 0; i < f.receiverCount(); i++) {
            all.add(f.receiver(i));
        }
        return all;
    }

    private static Track audioOf(Participant p) {
        return p.published.values().stream().filter(t -> t.kind == TrackKind.audio).findFirst().orElseThrow();
    }

    private static List<Track> selected(Participant receiver, TrackKind kind) {
        return receiver.subscriptions.stream().filter(s -> s.active && s.selected && s.track.kind == kind)
                .map(s -> s.track).toList();
    }

    /** Participants {@code who} speak at {@code now} (level 10, -10 dBov), for the packets of 200 ms. */
    private static void speak(List<Participant> all, long now, int... who) {
        for (int i : who) {
            for (int k = 0; k < 10; k++) {
                audioOf(all.get(i)).onAudioLevel(10, now);
            }
        }
    }

    @Test
    void eachReceiverGetsAtMostFiveAudioStreamsOfTheSpeakersAndVideoOfTheLatestSpeakers() throws Exception {
        try (ForwardingFixture f = eightPublishers()) {
            List<Participant> all = participants(f);
            assertThat(all).allSatisfy(p -> assertThat(p.subscriptions).hasSize(14));
            Call call = all.getFirst().call;
            long now = 10 * SECOND;
            speak(all, now, 0, 1, 2, 3, 4);
            SpeakerSelection.Outcome o = SpeakerSelection.select(call, 5, 3, now);

            for (Participant receiver : all) {
                List<Track> audio = selected(receiver, TrackKind.audio);
                assertThat(audio).as("audio of %s", receiver.name).hasSize(5)
                        .allSatisfy(t -> assertThat(t.owner).isNotSameAs(receiver));
                List<Track> speakers = all.subList(0, 5).stream().filter(p -> p != receiver)
                        .map(SpeakerSelectionTest::audioOf).toList();
                assertThat(audio).as("every speaker reaches %s", receiver.name).containsAll(speakers);
                List<Track> video = selected(receiver, TrackKind.video);
                assertThat(video).as("video of %s", receiver.name).hasSize(3)
                        .allSatisfy(t -> assertThat(all.indexOf(t.owner)).as("a speaker's").isLessThan(5));
            }
            assertThat(o.videoSelected()).as("all video was selected before the first round").isEmpty();
            assertThat(o.newDominant()).as("one round is not enough to become dominant").isNull();
            o = SpeakerSelection.select(call, 5, 3, now + 200_000_000L);
            assertThat(o.newDominant()).isSameAs(all.getFirst());
        }
    }

    @Test
    void aNewSpeakerGetsInOnlyWhenAnotherHasBeenSilentForTheHoldTime() throws Exception {
        try (ForwardingFixture f = eightPublishers()) {
            List<Participant> all = participants(f);
            Call call = all.getFirst().call;
            Participant receiver = all.get(7);
            long t = 10 * SECOND;
            speak(all, t, 0, 1, 2, 3, 4);
            SpeakerSelection.select(call, 5, 9, t);
            assertThat(selected(receiver, TrackKind.audio)).doesNotContain(audioOf(all.get(6)));

            // 6 starts while all five go on: it waits, the five hold their places
            long t1 = t + SECOND;
            speak(all, t1, 0, 1, 2, 3, 4, 6);
            SpeakerSelection.select(call, 5, 9, t1);
            assertThat(selected(receiver, TrackKind.audio)).doesNotContain(audioOf(all.get(6)));

            // 0 falls silent (muted: no more levels); 6 and the others go on
            long t2 = t1;
            for (int round = 1; round <= 15; round++) {
                t2 = t1 + round * 200_000_000L;
                speak(all, t2, 1, 2, 3, 4, 6);
                SpeakerSelection.select(call, 5, 9, t2);
                boolean sixIn = selected(receiver, TrackKind.audio).contains(audioOf(all.get(6)));
                if (t2 - t1 <= SpeakerSelection.HOLD_NANOS) {
                    assertThat(sixIn).as("within the hold time (%d ms)", (t2 - t1) / 1_000_000).isFalse();
                }
            }
            assertThat(selected(receiver, TrackKind.audio)).hasSize(5).contains(audioOf(all.get(6)))
                    .doesNotContain(audioOf(all.getFirst()));
            assertThat(selected(receiver, TrackKind.video)).as("9 places hold all 7 others").hasSize(7);
        }
    }

    @Test
    void theNodeReadsTheLevelFromTheProtectedPacketAndTellsTheCallWhoDominates() throws Exception {
        try (ForwardingFixture f = ForwardingFixture.builder().receivers(1).build()) {
            Track audio = audioOf(f.publisher());
            assertThat(audio.audioLevelExtensionId).as("a=extmap:1 of Chrome's offer").isEqualTo(1);
            PacketBuffer p = new PacketBuffer(PacketPool.BUFFER_SIZE);
            for (int seq = 1; seq <= 30; seq++) {
                byte[] b = p.getBuffer();
                byte[] header = io.sfufleet.sfu.ice.StunTestMessages.hex("90" + "6f" + "0000" + "00000000" + "000003e9"
                        + "bede0001" + "10" + "85" + "0000"); // one-byte extension id 1: V=1, level 5
                System.arraycopy(header, 0, b, 0, header.length);
                Rtp.writeUint16(b, 2, 100 + seq);
                for (int k = 0; k < 40; k++) {
                    b[header.length + k] = (byte) k;
                }
                p.setOffset(0);
                p.setLength(header.length + 40);
                assertThat(f.publisherClient().protectRtp(p)).isEqualTo(SrtpResult.OK);
                f.publisherTransport().onSrtp(p);
            }
            long now = System.nanoTime();
            assertThat(audio.loudness(now, SECOND)).isGreaterThan(SpeakerSelection.SPEAKING_LOUDNESS);
            f.manager().selectSpeakers();
            f.manager().selectSpeakers();
            assertThat(f.receiverPeer(0).messages()).contains(new DominantSpeaker(f.publisher().id));
            assertThat(f.publisherPeer().messages()).contains(new DominantSpeaker(f.publisher().id));

            // the news is sent when the speaker changes; someone joining later hears the current one at once
            ForwardingFixture.RecordingPeer late = new ForwardingFixture.RecordingPeer("late");
            f.join("late", late);
            assertThat(late.messages()).contains(new DominantSpeaker(f.publisher().id));
            assertThat(late.messages().getFirst()).isInstanceOf(io.sfufleet.model.signal.Joined.class);
        }
    }

    @Test
    void audioNobodyIsSelectedForIsNotDecryptedButOneInFiftyStillIs() throws Exception {
        try (ForwardingFixture f = eightPublishers()) {
            List<Participant> all = participants(f);
            Call call = all.getFirst().call;
            Track quiet = audioOf(f.publisher());
            // 1 to 5 speak and each receiver takes 4 streams: the speakers take each other, the quiet
            // ones 4 of the 5 speakers, so nobody takes the publisher's (0) audio
            long now = System.nanoTime();
            speak(all, now, 1, 2, 3, 4, 5);
            SpeakerSelection.select(call, 4, 9, now);
            assertThat(quiet.hasSelectedReceiver()).isFalse();

            long seq = 1;
            for (; seq <= 100; seq++) {
                f.publisherTransport().onSrtp(quietAudioPacket(f, (int) seq));
            }
            // packets 50 and 100 were decrypted (authenticated); the others were counted from their header
            assertThat(quiet.packetsNotDecrypted()).isEqualTo(98);
            assertThat(quiet.packets()).as("the publisher's receive statistics count all of them").isEqualTo(100);
            assertThat(f.drops().total()).as("nothing failed to authenticate").isZero();
            assertThat(quiet.receivers).allSatisfy(r -> assertThat(r.packetsSent).isZero());

            // once someone is selected for it again, every packet is decrypted and forwarded
            for (int round = 1; round <= 15; round++) {
                now += 200_000_000L;
                speak(all, now, 0, 1, 2, 3);
                SpeakerSelection.select(call, 4, 9, now);
            }
            assertThat(quiet.hasSelectedReceiver()).isTrue();
            long before = quiet.packetsNotDecrypted();
            for (int i = 0; i < 20; i++, seq++) {
                f.publisherTransport().onSrtp(quietAudioPacket(f, (int) seq));
            }
            assertThat(quiet.packetsNotDecrypted()).isEqualTo(before);
            assertThat(quiet.packets()).isEqualTo(120);
        }
    }

    /** An SRTP-protected Opus-sized packet from the fixture's publisher with an RFC 6464 level of -127 dBov. */
    private static PacketBuffer quietAudioPacket(ForwardingFixture f, int seq) {
        PacketBuffer p = new PacketBuffer(PacketPool.BUFFER_SIZE);
        byte[] b = p.getBuffer();
        byte[] header = io.sfufleet.sfu.ice.StunTestMessages.hex("90" + "6f" + "0000" + "00000000" + "000003e9"
                + "bede0001" + "10" + "7f" + "0000"); // one-byte extension id 1: V=0, level 127
        System.arraycopy(header, 0, b, 0, header.length);
        Rtp.writeUint16(b, 2, seq);
        p.setOffset(0);
        p.setLength(header.length + 60);
        assertThat(f.publisherClient().protectRtp(p)).isEqualTo(SrtpResult.OK);
        return p;
    }
}
