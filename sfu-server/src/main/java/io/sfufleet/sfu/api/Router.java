package io.sfufleet.sfu.api;

import io.netty.handler.codec.http.HttpMethod;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Method and path template to handler: the one list of the API's routes. Templates are the
 * {@code ApiPaths} constants; a {@code {name}} segment matches any one non-empty segment and is
 * handed to the handler as a parameter. Paths are exact (no trailing slash).
 */
final class Router {
    /** Who may call a route. */
    enum Access {
        /** Anyone: {@code /livez}. */
        OPEN,
        /** The bearer token (or, with no token configured, a loopback Host). */
        TOKEN,
        /** As {@link #TOKEN}, unless {@code api.metrics_open} is set. */
        METRICS
    }

    @FunctionalInterface
    interface Handler {
        /** May throw {@link ApiException} or complete exceptionally with it. */
        CompletionStage<ApiResponse> handle(ApiRequest request);
    }

    record Route(HttpMethod method, String template, Access access, Handler handler) {
        List<String> segments() {
            return Router.segments(template);
        }
    }

    sealed interface Match {
    }

    record Found(Route route, Map<String, String> params) implements Match {
    }

    record NotFound() implements Match {
    }

    /** The path exists with other methods, listed in {@code allowed} (for the Allow header). */
    record WrongMethod(Set<HttpMethod> allowed) implements Match {
    }

    private final List<Route> routes;

    private Router(List<Route> routes) {
        this.routes = List.copyOf(routes);
    }

    static Builder builder() {
        return new Builder();
    }

    List<Route> routes() {
        return routes;
    }

    Match match(HttpMethod method, String path) {
        List<String> parts = segments(path);
        Set<HttpMethod> allowed = new LinkedHashSet<>();
        for (Route r : routes) {
            Map<String, String> params = bind(r.segments(), parts);
            if (params == null) {
                continue;
            }
            if (r.method().equals(method)) {
                return new Found(r, params);
            }
            allowed.add(r.method());
        }
        return allowed.isEmpty() ? new NotFound() : new WrongMethod(allowed);
    }

    private static Map<String, String> bind(List<String> template, List<String> path) {
        if (template.size() != path.size()) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < template.size(); i++) {
            String t = template.get(i);
            String p = path.get(i);
            if (t.startsWith("{") && t.endsWith("}")) {
                if (p.isEmpty()) {
                    return null;
                }
                params.put(t.substring(1, t.length() - 1), p);
            } else if (!t.equals(p)) {
                return null;
            }
        }
        return params;
    }

    /** "/a/b" to [a, b]; "/a/" to [a, ""], so a trailing slash never matches a template. */
    private static List<String> segments(String path) {
        if (!path.startsWith("/")) {
            return List.of("\0");
        }
        return List.of(path.substring(1).split("/", -1));
    }

    static final class Builder {
        private final List<Route> routes = new ArrayList<>();

        Builder add(HttpMethod method, String template, Access access, Handler handler) {
            for (Route r : routes) {
                if (r.method().equals(method) && r.template().equals(template)) {
                    throw new IllegalArgumentException("route " + method + " " + template + " is defined twice");
                }
            }
            routes.add(new Route(method, template, access, handler));
            return this;
        }

        Router build() {
            return new Router(routes);
        }
    }
}
