package io.sfufleet.sfu.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class JoinAuthTest {
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String SECRET = "join-auth-test-secret-0123456789abcdef";

    @Test
    void devTokensHaveEveryPermissionForOneHourAndOnlyWhenOn() throws Exception {
        JoinAuth auth = new JoinAuth(SECRET, true, CLOCK);
        JoinGrant g = auth.verify(auth.mintDevToken("standup", "Alice"), "standup");
        assertThat(g.permissions()).isEqualTo(EnumSet.allOf(Permission.class));
        assertThat(g.call()).isEqualTo("standup");
        assertThat(g.subject()).isEqualTo("Alice");
        assertThat(g.expiresAt()).isEqualTo(NOW.plus(Duration.ofHours(1)));
        assertThat(g.issuer()).isEqualTo(JoinAuth.DEV_ISSUER);

        JoinAuth off = new JoinAuth(SECRET, false, CLOCK);
        assertThat(off.devTokensEnabled()).isFalse();
        assertThatThrownBy(() -> off.mintDevToken("standup", "Alice")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aReloadKeepsTheSecretUnlessItChanged() throws Exception {
        JoinAuth auth = new JoinAuth("", false, CLOCK);
        String before = auth.tokens().mint("c", "A", EnumSet.of(Permission.SUBSCRIBE), Duration.ofMinutes(5), null);
        auth.reconfigure("", true);
        assertThat(auth.devTokensEnabled()).isTrue();
        assertThat(auth.verify(before, "c").subject()).as("the random secret survives a reload").isEqualTo("A");

        auth.reconfigure(SECRET, true);
        assertThat(catchThrowableOfType(TokenRejected.class, () -> auth.verify(before, "c")).reason())
                .isEqualTo(TokenRejected.Reason.BAD_SIGNATURE);
        assertThat(auth.verify(new JoinTokens(SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8), CLOCK)
                .mint("c", "B", EnumSet.noneOf(Permission.class), Duration.ofMinutes(5), null), "c").subject())
                .isEqualTo("B");
    }
}
