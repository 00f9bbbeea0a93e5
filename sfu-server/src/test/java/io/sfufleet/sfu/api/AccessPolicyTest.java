package io.sfufleet.sfu.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AccessPolicyTest {
    private static final String TOKEN = "0123456789abcdef-token";

    @Test
    void theTokenMustMatchExactly() {
        AccessPolicy p = new AccessPolicy(TOKEN, false);
        assertThatCode(() -> p.check(Router.Access.TOKEN, "Bearer " + TOKEN, "evil.example")).doesNotThrowAnyException();
        assertThatCode(() -> p.check(Router.Access.TOKEN, "bearer  " + TOKEN + " ", null)).doesNotThrowAnyException();
        for (String header : new String[] {null, "", "Bearer", "Bearer ", "Basic " + TOKEN, TOKEN,
                "Bearer " + TOKEN + "x", "Bearer " + TOKEN.substring(1), "Bearer " + TOKEN.toUpperCase()}) {
            assertThatThrownBy(() -> p.check(Router.Access.TOKEN, header, "localhost")).as(String.valueOf(header))
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status().code()).isEqualTo(401));
        }
    }

    @Test
    void openRoutesAndOpenMetricsNeedNothing() {
        AccessPolicy p = new AccessPolicy(TOKEN, false);
        assertThatCode(() -> p.check(Router.Access.OPEN, null, null)).doesNotThrowAnyException();
        assertThatThrownBy(() -> p.check(Router.Access.METRICS, null, null)).isInstanceOf(ApiException.class);
        p.setMetricsOpen(true);
        assertThatCode(() -> p.check(Router.Access.METRICS, null, null)).doesNotThrowAnyException();
        assertThatThrownBy(() -> p.check(Router.Access.TOKEN, null, null)).isInstanceOf(ApiException.class);
    }

    @Test
    void withoutATokenOnlyLoopbackHostsPass() {
        AccessPolicy p = new AccessPolicy("", false);
        assertThat(p.tokenConfigured()).isFalse();
        assertThatCode(() -> p.check(Router.Access.TOKEN, null, "127.0.0.1:8045")).doesNotThrowAnyException();
        assertThatThrownBy(() -> p.check(Router.Access.TOKEN, "Bearer anything", "sfu.example"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status().code()).isEqualTo(403));
        p.setToken(TOKEN);
        assertThatThrownBy(() -> p.check(Router.Access.TOKEN, null, "127.0.0.1"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status().code()).isEqualTo(401));
    }

    @Test
    void loopbackHostNames() {
        for (String ok : new String[] {"localhost", "LocalHost", "localhost:1", "127.0.0.1", "127.0.0.1:65535", "[::1]",
                "[::1]:8045"}) {
            assertThat(AccessPolicy.isLoopbackHost(ok)).as(ok).isTrue();
        }
        for (String bad : new String[] {null, "", "localhost.", "localhost:", "localhost:x", "127.0.0.2",
                "127.0.0.1.nip.io", "[::1]x", "[::1]:", "::1", "localhost:1234567", "evil.example"}) {
            assertThat(AccessPolicy.isLoopbackHost(bad)).as(String.valueOf(bad)).isFalse();
        }
    }
}
