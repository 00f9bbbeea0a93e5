package io.sfufleet.sfu.auth;

import java.util.Optional;

/** What a join token allows, as named in its {@code perms} claim. */
public enum Permission {
    /** Publish audio tracks (the microphone). */
    PUBLISH_AUDIO("publish:audio"),
    /** Publish video tracks other than screen share (the camera). */
    PUBLISH_VIDEO("publish:video"),
    /** Publish a screen share (a video track with source {@code screen}). */
    PUBLISH_SCREEN("publish:screen"),
    /** Receive the others' tracks: without it the node never sends a subscribe offer. */
    SUBSCRIBE("subscribe");

    private final String claim;

    Permission(String claim) {
        this.claim = claim;
    }

    /** The string in the {@code perms} claim, e.g. {@code publish:audio}. */
    public String claim() {
        return claim;
    }

    /** The permission a {@code perms} entry names; empty for names this version does not know. */
    public static Optional<Permission> ofClaim(String claim) {
        for (Permission p : values()) {
            if (p.claim.equals(claim)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
