package io.sfufleet.sfu.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.HttpMethod;
import io.sfufleet.model.api.ApiPaths;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class RouterTest {
    private static final Router.Handler NOTHING = r -> CompletableFuture.completedFuture(null);

    private final Router router = Router.builder()
            .add(HttpMethod.GET, ApiPaths.CALLS, Router.Access.TOKEN, NOTHING)
            .add(HttpMethod.GET, ApiPaths.CALL, Router.Access.TOKEN, NOTHING)
            .add(HttpMethod.POST, ApiPaths.DRAIN, Router.Access.TOKEN, NOTHING)
            .add(HttpMethod.DELETE, ApiPaths.DRAIN, Router.Access.TOKEN, NOTHING)
            .add(HttpMethod.POST, ApiPaths.KICK, Router.Access.TOKEN, NOTHING)
            .build();

    @Test
    void templatesBindTheirParameters() {
        Router.Match m = router.match(HttpMethod.POST, "/api/v1/calls/standup/participants/p2/kick");
        assertThat(m).isInstanceOf(Router.Found.class);
        assertThat(((Router.Found) m).params()).isEqualTo(Map.of("callId", "standup", "participantId", "p2"));
        assertThat(((Router.Found) router.match(HttpMethod.GET, "/api/v1/calls/x")).route().template())
                .isEqualTo(ApiPaths.CALL);
        assertThat(((Router.Found) router.match(HttpMethod.GET, "/api/v1/calls")).route().template())
                .isEqualTo(ApiPaths.CALLS);
    }

    @Test
    void pathsAreExact() {
        for (String path : new String[] {"/api/v1/calls/", "/api/v1/calls//", "/api/v1/calls/a/b", "/api/v1",
                "api/v1/calls", "", "/", "/api/v1/calls/standup/participants//kick"}) {
            assertThat(router.match(HttpMethod.GET, path)).as(path).isInstanceOf(Router.NotFound.class);
        }
    }

    @Test
    void anotherMethodListsTheAllowedOnesInOrder() {
        assertThat(router.match(HttpMethod.PUT, ApiPaths.DRAIN)).isEqualTo(
                new Router.WrongMethod(new java.util.LinkedHashSet<>(java.util.List.of(HttpMethod.POST, HttpMethod.DELETE))));
        assertThat(router.match(HttpMethod.DELETE, "/api/v1/calls/x"))
                .isEqualTo(new Router.WrongMethod(java.util.Set.of(HttpMethod.GET)));
    }

    @Test
    void aRouteCannotBeDefinedTwice() {
        assertThatThrownBy(() -> Router.builder()
                .add(HttpMethod.GET, ApiPaths.NODE, Router.Access.TOKEN, NOTHING)
                .add(HttpMethod.GET, ApiPaths.NODE, Router.Access.OPEN, NOTHING))
                .hasMessageContaining("twice");
    }
}
