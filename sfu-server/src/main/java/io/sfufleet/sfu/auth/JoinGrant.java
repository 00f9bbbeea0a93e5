package io.sfufleet.sfu.auth;

import io.sfufleet.model.signal.MediaSource;
import io.sfufleet.model.signal.TrackKind;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What a verified join token lets its holder do.
 *
 * @param call        the {@code call} claim: a call id, or {@link #ANY_CALL}
 * @param subject     the {@code sub} claim: the participant's display name in the call
 * @param permissions the known entries of the {@code perms} claim
 * @param expiresAt   the {@code exp} claim; checked at join only, a joined session outlives it
 * @param issuer      the {@code iss} claim, or null; for logs
 */
public record JoinGrant(String call, String subject, Set<Permission> permissions, Instant expiresAt, String issuer) {
    /** The {@code call} claim that admits the holder to any call. */
    public static final String ANY_CALL = "*";

    public JoinGrant {
        Objects.requireNonNull(call, "call");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(expiresAt, "expiresAt");
        permissions = permissions.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(permissions));
    }

    public boolean permits(Permission p) {
        return permissions.contains(p);
    }

    public boolean maySubscribe() {
        return permits(Permission.SUBSCRIBE);
    }

    /**
     * Whether a track of {@code kind} declared as {@code source} may be published. The kind comes
     * from the SDP m-section, so a client cannot pass video off as "microphone".
     */
    public boolean mayPublish(TrackKind kind, MediaSource source) {
        return permits(requiredToPublish(kind, source));
    }

    /** The permission publishing such a track needs: audio, screen share, or other video. */
    public static Permission requiredToPublish(TrackKind kind, MediaSource source) {
        if (kind == TrackKind.audio) {
            return Permission.PUBLISH_AUDIO;
        }
        return source == MediaSource.screen ? Permission.PUBLISH_SCREEN : Permission.PUBLISH_VIDEO;
    }
}
