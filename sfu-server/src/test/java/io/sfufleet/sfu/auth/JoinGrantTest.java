package io.sfufleet.sfu.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.model.signal.MediaSource;
import io.sfufleet.model.signal.TrackKind;
import java.time.Instant;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class JoinGrantTest {
    @Test
    void thePermissionATrackNeedsFollowsItsKindThenItsSource() {
        assertThat(JoinGrant.requiredToPublish(TrackKind.audio, MediaSource.microphone)).isEqualTo(Permission.PUBLISH_AUDIO);
        assertThat(JoinGrant.requiredToPublish(TrackKind.audio, MediaSource.screen)).isEqualTo(Permission.PUBLISH_AUDIO);
        assertThat(JoinGrant.requiredToPublish(TrackKind.video, MediaSource.camera)).isEqualTo(Permission.PUBLISH_VIDEO);
        assertThat(JoinGrant.requiredToPublish(TrackKind.video, MediaSource.screen)).isEqualTo(Permission.PUBLISH_SCREEN);
        // video declared as a microphone is still video
        assertThat(JoinGrant.requiredToPublish(TrackKind.video, MediaSource.microphone)).isEqualTo(Permission.PUBLISH_VIDEO);
        assertThat(JoinGrant.requiredToPublish(TrackKind.video, MediaSource.unknown)).isEqualTo(Permission.PUBLISH_VIDEO);
    }

    @Test
    void aGrantPermitsWhatItLists() {
        JoinGrant g = new JoinGrant("c", "A", EnumSet.of(Permission.PUBLISH_AUDIO, Permission.PUBLISH_VIDEO),
                Instant.EPOCH, null);
        assertThat(g.mayPublish(TrackKind.audio, MediaSource.microphone)).isTrue();
        assertThat(g.mayPublish(TrackKind.video, MediaSource.camera)).isTrue();
        assertThat(g.mayPublish(TrackKind.video, MediaSource.screen)).isFalse();
        assertThat(g.maySubscribe()).isFalse();
    }

    @Test
    void permissionNamesAreThoseOfThePermsClaim() {
        for (Permission p : Permission.values()) {
            assertThat(Permission.ofClaim(p.claim())).contains(p);
        }
        assertThat(Permission.ofClaim("publish:hologram")).isEmpty();
        assertThat(Permission.ofClaim("SUBSCRIBE")).isEmpty();
    }
}
