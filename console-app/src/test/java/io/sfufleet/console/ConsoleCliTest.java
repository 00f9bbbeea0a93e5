package io.sfufleet.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sfufleet.console.audit.AuditEntry;
import io.sfufleet.console.cli.ConsoleCli;
import io.sfufleet.console.node.ApiJson;
import io.sfufleet.console.node.NodeClient;
import io.sfufleet.model.api.CallDetail;
import io.sfufleet.model.api.CallList;
import io.sfufleet.model.api.NodeInfo;
import io.sfufleet.model.api.NodeState;
import io.sfufleet.model.api.ParticipantDetail;
import io.sfufleet.model.signal.Bye;
import io.sfufleet.model.signal.Join;
import io.sfufleet.model.signal.Joined;
import io.sfufleet.sfu.FreePorts;
import io.sfufleet.sfu.SfuNode;
import io.sfufleet.sfu.TestNodes;
import io.sfufleet.sfu.signal.WsTestClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI end to end against a real node started in this JVM, with WebSocket participants. */
class ConsoleCliTest {
    private static final String PASSPHRASE = "correct horse battery staple";
    private static SfuNode node;
    private static OkHttpClient http;
    private final ObjectMapper json = ApiJson.newMapper();

    @TempDir
    Path tmp;
    private Path db;
    private final Map<String, String> env = new HashMap<>();

    record Run(int code, String out, String err) {
    }

    @BeforeAll
    static void startNode() throws Exception {
        http = NodeClient.newHttpClient();
        node = RunningNode.start(http);
    }

    @AfterAll
    static void stopNode() {
        node.close();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    @BeforeEach
    void setUp() {
        db = tmp.resolve("data").resolve("console.db");
        env.put("SFU_CONSOLE_DB", db.toString());
        env.put(ConsoleCli.PASSPHRASE_ENV, PASSPHRASE);
        env.put("NODE_TOKEN", TestNodes.API_TOKEN);
    }

    private Run run(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        int code = new ConsoleCli(env, "tester", Clock.systemUTC(), http)
                .run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    private Run ok(String... args) {
        Run r = run(args);
        assertThat(r.code()).as("exit code of %s; stderr: %s", Arrays.toString(args), r.err()).isZero();
        return r;
    }

    private void addNode() {
        ok("nodes", "add", "n1", "http://127.0.0.1:" + node.adminPort(), "--token-env", "NODE_TOKEN");
    }

    private <T> T readJson(Class<T> type, Predicate<T> until, String... args) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            T value = json.readValue(ok(args).out(), type);
            if (until.test(value) || System.nanoTime() > deadline) {
                return value;
            }
            Thread.sleep(100);
        }
    }

    private static String join(WsTestClient c, String call, String name) throws Exception {
        c.send(new Join(1, call, name, null, TestNodes.token(call, name)));
        return c.expect(Joined.class).participantId();
    }

    @Test
    void addsANodeAndListsItsCallsAndParticipantsAsTablesAndJson() throws Exception {
        addNode();
        assertThat(ok("nodes", "list").out()).contains("n1").contains("http://127.0.0.1:" + node.adminPort());
        try (var a = new WsTestClient(node.httpPort()); var b = new WsTestClient(node.httpPort())) {
            String alice = join(a, "cli-call", "Alice");
            String bob = join(b, "cli-call", "Bob");

            CallList calls = readJson(CallList.class,
                    l -> l.calls().stream().anyMatch(c -> c.callId().equals("cli-call") && c.participants() == 2),
                    "calls", "n1", "--json");
            assertThat(calls.calls()).anySatisfy(c -> {
                assertThat(c.callId()).isEqualTo("cli-call");
                assertThat(c.participants()).isEqualTo(2);
            });
            assertThat(ok("calls", "n1").out()).contains("CALL").contains("cli-call");

            CallDetail detail = readJson(CallDetail.class, d -> d.participants().size() == 2,
                    "participants", "n1", "cli-call", "--json");
            assertThat(detail.participants()).extracting(ParticipantDetail::participantId)
                    .containsExactly(alice, bob);
            assertThat(detail.participants()).extracting(ParticipantDetail::name).containsExactly("Alice", "Bob");
            assertThat(ok("participants", "n1", "cli-call").out()).contains(alice).contains("Alice").contains("Bob");

            ParticipantDetail p = json.readValue(ok("participant", "n1", "cli-call", bob, "--json").out(),
                    ParticipantDetail.class);
            assertThat(p.name()).isEqualTo("Bob");

            NodeInfo info = json.readValue(ok("node", "info", "n1", "--json").out(), NodeInfo.class);
            assertThat(info.state()).isEqualTo(NodeState.running);
            assertThat(ok("node", "info", "n1").out()).contains("state      running");
        }
        assertThat(run("participants", "n1", "no-such-call").code()).isEqualTo(ConsoleCli.EXIT_API);
    }

    @Test
    void drainThenUndrainChangeTheNodesStateAndAreAudited() throws Exception {
        addNode();
        long before = System.currentTimeMillis();
        try {
            assertThat(ok("drain", "n1", "--deadline", "10m", "--reason", "test").out()).contains("drain n1");
            NodeInfo drained = json.readValue(ok("node", "info", "n1", "--json").out(), NodeInfo.class);
            assertThat(drained.state()).isEqualTo(NodeState.draining);
            assertThat(drained.drainDeadlineMillis()).isBetween(before + 600_000 - 1000, before + 600_000 + 10_000);
            assertThat(drained.ready()).isFalse();
        } finally {
            ok("undrain", "n1");
        }
        NodeInfo running = json.readValue(ok("node", "info", "n1", "--json").out(), NodeInfo.class);
        assertThat(running.state()).isEqualTo(NodeState.running);
        assertThat(running.drainDeadlineMillis()).isNull();

        assertThat(run("drain", "n1", "--deadline", "soon").code()).isEqualTo(ConsoleCli.EXIT_USAGE);

        List<AuditEntry> audit = List.of(json.readValue(ok("audit", "--json").out(), AuditEntry[].class));
        assertThat(audit).extracting(AuditEntry::action, AuditEntry::node, AuditEntry::who)
                .containsSubsequence(
                        org.assertj.core.groups.Tuple.tuple("nodes.add", "n1", "tester"),
                        org.assertj.core.groups.Tuple.tuple("drain", "n1", "tester"),
                        org.assertj.core.groups.Tuple.tuple("undrain", "n1", "tester"));
        assertThat(audit).filteredOn(e -> e.action().equals("drain")).singleElement()
                .satisfies(e -> assertThat(e.result()).startsWith("ok"));
        assertThat(audit).filteredOn(e -> e.action().equals("undrain")).singleElement()
                .satisfies(e -> assertThat(e.result()).startsWith("ok"));
        assertThat(ok("audit").out()).contains("ACTION").contains("undrain");
    }

    @Test
    void kickMakesTheParticipantLeaveAndEveryActionIsAuditedWithItsResult() throws Exception {
        addNode();
        String bob;
        try (var a = new WsTestClient(node.httpPort()); var b = new WsTestClient(node.httpPort())) {
            join(a, "kick-call", "Alice");
            bob = join(b, "kick-call", "Bob");
            ok("mute", "n1", "kick-call", bob, "--kind", "audio");
            ok("kick", "n1", "kick-call", bob, "--reason", "test");
            assertThat(b.expect(Bye.class).reason()).isEqualTo("kicked");
            CallDetail detail = readJson(CallDetail.class, d -> d.participants().size() == 1,
                    "participants", "n1", "kick-call", "--json");
            assertThat(detail.participants()).extracting(ParticipantDetail::name).containsExactly("Alice");

            Run again = run("kick", "n1", "kick-call", bob);
            assertThat(again.code()).isEqualTo(ConsoleCli.EXIT_API);
            assertThat(again.err()).contains("404").contains("not_found");
        }
        List<AuditEntry> audit = List.of(json.readValue(ok("audit", "--json").out(), AuditEntry[].class));
        assertThat(audit).filteredOn(e -> e.action().equals("mute")).singleElement()
                .satisfies(e -> assertThat(e.result()).startsWith("ok"));
        assertThat(audit).filteredOn(e -> e.action().equals("kick")).extracting(AuditEntry::result)
                .satisfiesExactly(
                        r -> assertThat(r).startsWith("ok"),
                        r -> assertThat(r).startsWith("error:").contains("404 not_found"));
        assertThat(audit).filteredOn(e -> e.action().equals("kick")).extracting(AuditEntry::target)
                .containsOnly("kick-call/" + bob);
        assertThat(audit).filteredOn(e -> e.action().equals("mute")).extracting(AuditEntry::target)
                .containsOnly("kick-call/" + bob + " audio");
    }

    @Test
    void theDatabaseHoldsNoPlaintextTokenAndAWrongPassphraseIsRefused() throws Exception {
        addNode();
        byte[] bytes = Files.readAllBytes(db);
        assertThat(indexOf(bytes, TestNodes.API_TOKEN.getBytes(StandardCharsets.UTF_8))).isEqualTo(-1);
        assertThat(indexOf(bytes, PASSPHRASE.getBytes(StandardCharsets.UTF_8))).isEqualTo(-1);
        assertThat(indexOf(bytes, "n1".getBytes(StandardCharsets.UTF_8))).isNotEqualTo(-1);

        env.put(ConsoleCli.PASSPHRASE_ENV, "not the passphrase");
        Run wrong = run("node", "info", "n1");
        assertThat(wrong.code()).isEqualTo(ConsoleCli.EXIT_USAGE);
        assertThat(wrong.err()).contains("wrong console passphrase");
        assertThat(run("nodes", "add", "n2", "http://127.0.0.1:1", "--token-env", "NODE_TOKEN").code())
                .isEqualTo(ConsoleCli.EXIT_USAGE);

        env.remove(ConsoleCli.PASSPHRASE_ENV);
        Run none = run("calls", "n1");
        assertThat(none.code()).isEqualTo(ConsoleCli.EXIT_USAGE);
        assertThat(none.err()).contains("passphrase is needed");
        assertThat(ok("nodes", "list").out()).contains("n1").doesNotContain("n2");

        env.put(ConsoleCli.PASSPHRASE_ENV, PASSPHRASE);
        ok("node", "info", "n1");
    }

    @Test
    void anUnreachableNodeGivesExitOneWithAClearMessage() {
        int port = FreePorts.tcp();
        ok("nodes", "add", "gone", "http://127.0.0.1:" + port, "--token-env", "NODE_TOKEN");
        Run r = run("node", "info", "gone");
        assertThat(r.code()).isEqualTo(ConsoleCli.EXIT_API);
        assertThat(r.err()).contains("cannot reach http://127.0.0.1:" + port);
        Run d = run("undrain", "gone");
        assertThat(d.code()).isEqualTo(ConsoleCli.EXIT_API);
        assertThat(ok("audit").out()).contains("undrain").contains("error: cannot reach");
    }

    @Test
    void usageErrorsGiveExitTwo() {
        assertThat(run("no-such-command").code()).isEqualTo(ConsoleCli.EXIT_USAGE);
        assertThat(run("kick", "n1").code()).isEqualTo(ConsoleCli.EXIT_USAGE);
        Run unknown = run("node", "info", "nobody");
        assertThat(unknown.code()).isEqualTo(ConsoleCli.EXIT_USAGE);
        assertThat(unknown.err()).contains("no node named nobody");
        assertThat(run("nodes", "add", "x", "ftp://host", "--token-env", "NODE_TOKEN").code())
                .isEqualTo(ConsoleCli.EXIT_USAGE);
        assertThat(run("nodes", "add", "x", "http://host:1", "--token-env", "UNSET_VAR").err())
                .contains("UNSET_VAR");
        addNode();
        assertThat(run("nodes", "add", "n1", "http://127.0.0.1:1").err()).contains("already");
        ok("nodes", "remove", "n1");
        assertThat(ok("nodes", "list").out()).doesNotContain("n1");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
