package io.sfufleet.sfu.bench;

import io.sfufleet.sfu.ice.IceLiteResponder;
import io.sfufleet.sfu.ice.PacketClassifier;
import io.sfufleet.sfu.ice.StunOutcome;
import io.sfufleet.sfu.ice.StunTestMessages;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one ICE check costs the media loop: a Chrome-like authenticated Binding request answered
 * with a signed response, against the cheap paths (a request for a session we do not know, and
 * the RFC 7983 demultiplexing every datagram goes through). Run with {@code -prof gc} to see the
 * allocation per check, which is mostly ice4j's message objects.
 *
 * <pre>
 * ./mvnw -o -q -pl sfu-server -am test-compile
 * ./mvnw -o -q -pl sfu-server dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp sfu-server/target/test-classes:sfu-server/target/classes:$(cat sfu-server/target/cp.txt) \
 *     org.openjdk.jmh.Main StunBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Dice4j.harvest.mapping.aws.enabled=false"})
public class StunBenchmark {
    private static final String UFRAG = "srvA1234";
    private static final String PASSWORD = "s3cretPasswordOf24Chars+";
    private static final InetSocketAddress BROWSER = new InetSocketAddress("203.0.113.7", 54321);

    private IceLiteResponder responder;
    private byte[] validRequest;
    private byte[] unknownUfragRequest;
    private byte[] rtp;

    @Setup
    public void setUp() {
        // A map with a few hundred sessions, as a loaded node would have, rather than a single entry.
        Map<String, String> sessions = new java.util.HashMap<>();
        for (int i = 0; i < 500; i++) {
            sessions.put(String.format("s%07d", i), PASSWORD);
        }
        sessions.put(UFRAG, PASSWORD);
        responder = new IceLiteResponder(sessions::get);
        byte[] tid = StunTestMessages.hex("01 02 03 04 05 06 07 08 09 0a 0b 0c");
        validRequest = StunTestMessages.browserLikeRequest(tid, UFRAG, "brwZ", PASSWORD);
        unknownUfragRequest = StunTestMessages.browserLikeRequest(tid, "nobody99", "brwZ", PASSWORD);
        rtp = StunTestMessages.hex("90 6f 12 34 00 00 00 01 de ad be ef be de 00 01 10 ff 00 00");
        StunOutcome outcome = responder.process(validRequest, 0, validRequest.length, BROWSER);
        if (outcome.kind() != StunOutcome.Kind.RESPONDED) {
            throw new IllegalStateException("benchmark request is not answered: " + outcome.kind());
        }
    }

    @Benchmark
    public StunOutcome validBrowserRequest() {
        return responder.process(validRequest, 0, validRequest.length, BROWSER);
    }

    @Benchmark
    public StunOutcome unknownUfragRequest() {
        return responder.process(unknownUfragRequest, 0, unknownUfragRequest.length, BROWSER);
    }

    @Benchmark
    public PacketClassifier.Kind classifyRtp() {
        return PacketClassifier.classify(rtp, 0, rtp.length);
    }
}
