package io.sfufleet.sfu.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.sfufleet.model.api.ApiError;
import io.sfufleet.model.api.ApiPaths;
import io.sfufleet.model.api.Health;
import io.sfufleet.model.api.NodeInfo;
import io.sfufleet.model.api.ReloadResult;
import io.sfufleet.model.signal.ErrorCode;
import io.sfufleet.model.signal.ErrorMessage;
import io.sfufleet.model.signal.Join;
import io.sfufleet.model.signal.Joined;
import io.sfufleet.sfu.FreePorts;
import io.sfufleet.sfu.SfuNode;
import io.sfufleet.sfu.TestNodes;
import io.sfufleet.sfu.signal.WsTestClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reload (route and SIGHUP) of a node started from a file, as {@code sfu-server --config FILE}. */
class ReloadTest {
    @TempDir
    Path dir;
    private Path file;
    private int udp;
    private int http;
    private int apiPort;
    private SfuNode node;
    private AdminClient api;

    @BeforeEach
    void start() throws Exception {
        file = dir.resolve("sfu.toml");
        udp = FreePorts.udpAndTcp();
        http = FreePorts.tcp();
        apiPort = FreePorts.tcp();
        Files.writeString(file, TestNodes.toml(udp, http, apiPort, "max_calls = 10"));
        node = TestNodes.startFromFile(file);
        api = new AdminClient(node.adminPort(), TestNodes.API_TOKEN);
    }

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void reloadAppliesHotKeysAtOnceAndListsTheOnesThatNeedARestart() throws Exception {
        ReloadResult same = api.postOk(ApiPaths.RELOAD, null, ReloadResult.class);
        assertThat(same.unchanged()).isTrue();

        Files.writeString(file, TestNodes.toml(udp, http, apiPort, "max_calls = 1"));
        ReloadResult limits = api.postOk(ApiPaths.RELOAD, null, ReloadResult.class);
        assertThat(limits.applied()).containsExactly("limits.max_calls");
        assertThat(limits.needsRestart()).isEmpty();
        assertThat(limits.unchanged()).isFalse();
        assertThat(api.getOk(ApiPaths.NODE, NodeInfo.class).capacity().maxCalls()).isEqualTo(1);
        try (WsTestClient a = new WsTestClient(node.httpPort()); WsTestClient b = new WsTestClient(node.httpPort())) {
            a.send(new Join(1, "reload-a", "A", null, TestNodes.token("reload-a", "A")));
            a.expect(Joined.class);
            b.send(new Join(1, "reload-b", "B", null, TestNodes.token("reload-b", "B")));
            assertThat(b.expect(ErrorMessage.class).code()).isEqualTo(ErrorCode.NODE_FULL);
            Health full = awaitReadyz(503);
            assertThat(full.checks()).containsEntry("capacity", "overloaded").containsEntry("state", "ok");
        }

        int otherHttp = FreePorts.tcp();
        Files.writeString(file, TestNodes.toml(udp, otherHttp, apiPort, "max_calls = 1"));
        ReloadResult port = api.postOk(ApiPaths.RELOAD, null, ReloadResult.class);
        assertThat(port.applied()).isEmpty();
        assertThat(port.needsRestart()).containsExactly("http.port");
        assertThat(node.httpPort()).isEqualTo(http);
        // still different from what runs: listed again until a restart
        assertThat(api.postOk(ApiPaths.RELOAD, null, ReloadResult.class).needsRestart()).containsExactly("http.port");

        Files.writeString(file, TestNodes.toml(udp, http, apiPort, "max_calls = 0"));
        ApiError invalid = AdminClient.error(api.post(ApiPaths.RELOAD, null), 422);
        assertThat(invalid.error()).isEqualTo(ApiError.INVALID_CONFIG);
        assertThat(invalid.field()).isEqualTo("limits.max_calls");
        assertThat(invalid.message()).contains("limits.max_calls");
        assertThat(api.getOk(ApiPaths.NODE, NodeInfo.class).capacity().maxCalls()).isEqualTo(1);
    }

    @Test
    void aNewTokenReplacesTheOldOneAtOnce() throws Exception {
        String newToken = "rotated-admin-token-9876543210";
        Files.writeString(file, TestNodes.toml(udp, http, apiPort, "max_calls = 10")
                .replace(TestNodes.API_TOKEN, newToken));
        assertThat(api.postOk(ApiPaths.RELOAD, null, ReloadResult.class).applied()).containsExactly("api.token");
        AdminClient.error(api.get(ApiPaths.NODE), 401);
        assertThat(api.withToken(newToken).get(ApiPaths.NODE).statusCode()).isEqualTo(200);
    }

    @Test
    void sighupReloadsLikeTheRoute() throws Exception {
        AtomicReference<SfuNode> target = new AtomicReference<>(node);
        boolean installed = HangupSignal.install(() -> {
            SfuNode n = target.get();
            if (n != null) {
                n.reload();
            }
        });
        assumeThat(installed).as("SIGHUP handling on this platform").isTrue();
        try {
            Files.writeString(file, TestNodes.toml(udp, http, apiPort, "max_calls = 3"));
            Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(ProcessHandle.current().pid())).start();
            assertThat(kill.waitFor(5, TimeUnit.SECONDS)).isTrue();
            assumeThat(kill.exitValue()).as("kill -HUP").isZero();
            // Generous: the signal thread, the reload and the once-a-second snapshot all wait for a
            // CPU on a loaded 2-core machine.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline
                    && api.getOk(ApiPaths.NODE, NodeInfo.class).capacity().maxCalls() != 3) {
                Thread.sleep(50);
            }
            assertThat(api.getOk(ApiPaths.NODE, NodeInfo.class).capacity().maxCalls()).isEqualTo(3);
        } finally {
            target.set(null);
        }
    }

    private Health awaitReadyz(int status) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        HttpResponse<String> r;
        do {
            r = api.get(ApiPaths.READYZ);
            if (r.statusCode() == status) {
                return AdminClient.read(r, Health.class);
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("readyz did not answer " + status + ": " + r.body());
    }
}
