package io.sfufleet.sfu.dtls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import io.sfufleet.sfu.srtp.SrtpKeyingMaterial;
import io.sfufleet.sfu.srtp.SrtpProfile;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A BouncyCastle DTLS client against {@link DtlsServerSession}, back to back in memory. */
@Timeout(20)
class DtlsServerSessionTest {
    private static final int AES_CM_80 = SrtpProfile.AES128_CM_HMAC_SHA1_80.id;
    private static final int GCM_128 = SrtpProfile.AEAD_AES_128_GCM.id;
    /** SRTP_AES128_CM_HMAC_SHA1_32 (RFC 5764): valid, but not one we take. */
    private static final int AES_CM_32 = 0x0002;
    private static final DtlsCertificate SERVER_CERT = DtlsCertificate.generate();
    private static final DtlsCertificate CLIENT_CERT = DtlsCertificate.generate();

    private final DtlsCounters counters = new DtlsCounters();
    /** Counts down when the session's task returns, to prove its thread does not outlive it. */
    private final CountDownLatch taskEnded = new CountDownLatch(1);
    private final Executor trackingExecutor = task -> Thread.ofVirtual().start(() -> {
        try {
            task.run();
        } finally {
            taskEnded.countDown();
        }
    });
    private final RecordingListener listener = new RecordingListener();
    private DtlsServerSession session;

    @AfterEach
    void closeSession() {
        if (session != null) {
            session.close();
        }
    }

    private DtlsSessionOptions options(Duration handshakeTimeout) {
        return DtlsSessionOptions.defaults().withHandshakeTimeout(handshakeTimeout).withCounters(counters)
                .withExecutor(trackingExecutor);
    }

    /** Starts a session that expects {@code expectedClientCert} and a client that presents CLIENT_CERT. */
    private CompletableFuture<DTLSTransport> connect(DtlsTestClient client, DtlsCertificate expectedClientCert, Predicate<byte[]> lose) {
        ClientTransport link = new ClientTransport(lose);
        session = new DtlsServerSession(SERVER_CERT, "sha-256 " + expectedClientCert.fingerprintSha256(),
                link.towardsClient(), listener, options(Duration.ofSeconds(5)));
        link.server = session;
        session.start();
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new DTLSClientProtocol().connect(client, link);
            } catch (java.io.IOException e) {
                throw new CompletionException(e);
            }
        }, DtlsSessionOptions.VIRTUAL_THREADS);
    }

    @Test
    void bothSidesExportTheSameKeysAndGcmWinsWhenOffered() throws Exception {
        // The client lists AES_CM first: our preference, not the client's, decides.
        DtlsTestClient client = new DtlsTestClient(CLIENT_CERT, AES_CM_80, GCM_128);

        connect(client, CLIENT_CERT, d -> false).get(5, TimeUnit.SECONDS);
        SrtpKeyingMaterial serverKeys = listener.connected.get(5, TimeUnit.SECONDS);

        assertThat(serverKeys.profile()).isEqualTo(SrtpProfile.AEAD_AES_128_GCM);
        assertSameKeys(serverKeys, client.keys);
        assertThat(client.serverCertificate).isEqualTo(SERVER_CERT.encoded());
        assertThat(session.isConnected()).isTrue();
        assertThat(counters.handshakesCompleted()).isEqualTo(1);
        assertThat(counters.handshakeFailures()).isZero();
    }

    @Test
    void aesCmIsChosenWhenTheClientOffersOnlyThat() throws Exception {
        DtlsTestClient client = new DtlsTestClient(CLIENT_CERT, AES_CM_32, AES_CM_80);

        connect(client, CLIENT_CERT, d -> false).get(5, TimeUnit.SECONDS);
        SrtpKeyingMaterial serverKeys = listener.connected.get(5, TimeUnit.SECONDS);

        assertThat(serverKeys.profile()).isEqualTo(SrtpProfile.AES128_CM_HMAC_SHA1_80);
        assertSameKeys(serverKeys, client.keys);
    }

    @Test
    void aClientCertificateThatDoesNotMatchTheSdpFailsTheHandshake() throws Exception {
        DtlsCertificate someoneElse = DtlsCertificate.generate();
        DtlsTestClient client = new DtlsTestClient(CLIENT_CERT, GCM_128);

        CompletableFuture<DTLSTransport> clientSide = connect(client, someoneElse, d -> false);

        assertThat(listener.failed.get(5, TimeUnit.SECONDS)).contains("bad_certificate").contains("fingerprint");
        assertThatThrownBy(() -> clientSide.get(5, TimeUnit.SECONDS)).hasRootCauseMessage("bad_certificate(42)");
        assertFailedOnce();
    }

    @Test
    void noCommonSrtpProfileFailsTheHandshake() throws Exception {
        DtlsTestClient client = new DtlsTestClient(CLIENT_CERT, AES_CM_32);

        CompletableFuture<DTLSTransport> clientSide = connect(client, CLIENT_CERT, d -> false);

        assertThat(listener.failed.get(5, TimeUnit.SECONDS)).contains("handshake_failure").contains("SRTP");
        assertThatThrownBy(() -> clientSide.get(5, TimeUnit.SECONDS)).isInstanceOf(Exception.class);
        assertFailedOnce();
    }

    @Test
    void aClientWithoutUseSrtpFailsTheHandshake() throws Exception {
        DtlsTestClient client = new DtlsTestClient(CLIENT_CERT);

        connect(client, CLIENT_CERT, d -> false);

        assertThat(listener.failed.get(5, TimeUnit.SECONDS)).contains("use_srtp");
        assertFailedOnce();
    }

    @Test
    void garbageEndsInOneCleanFailure() throws Exception {
        session = new DtlsServerSession(SERVER_CERT, "sha-256 " + CLIENT_CERT.fingerprintSha256(),
                (d, o, l) -> { }, listener, options(Duration.ofMillis(500)));
        session.start();
        Random random = new Random(42);

        assertThatCode(() -> {
            for (int i = 0; i < 300; i++) {
                byte[] datagram = new byte[random.nextInt(1600)];
                random.nextBytes(datagram);
                if (i % 3 == 0 && datagram.length > 14) {
                    // A plausible DTLS 1.2 handshake record header for epoch 0 carrying a ClientHello
                    // type byte, so that garbage also reaches BouncyCastle's handshake parser.
                    datagram[0] = 22;
                    datagram[1] = (byte) 0xFE;
                    datagram[2] = (byte) 0xFD;
                    datagram[3] = 0;
                    datagram[4] = 0;
                    datagram[13] = 1;
                }
                session.receive(datagram, 0, datagram.length);
            }
            session.receive(new byte[0], 0, 0);
        }).doesNotThrowAnyException();

        assertThat(listener.failed.get(5, TimeUnit.SECONDS)).isNotBlank();
        assertFailedOnce();
        assertThat(listener.connected).isNotDone();
        assertThat(counters.malformedDrops()).isPositive();
    }

    @Test
    void aMalformedClientHelloFailsWithAnAlertNotAnException() throws Exception {
        session = new DtlsServerSession(SERVER_CERT, "sha-256 " + CLIENT_CERT.fingerprintSha256(),
                (d, o, l) -> { }, listener, options(Duration.ofSeconds(5)));
        session.start();
        byte[] body = new byte[40];
        new Random(1).nextBytes(body);
        byte[] datagram = new byte[13 + 12 + body.length];
        // DTLS 1.2 record header: handshake(22), version FEFD, epoch 0, sequence 0, length.
        datagram[0] = 22;
        datagram[1] = (byte) 0xFE;
        datagram[2] = (byte) 0xFD;
        datagram[12] = (byte) (12 + body.length);
        // Handshake header: client_hello(1), length, message_seq 0, fragment_offset 0, fragment_length.
        datagram[13] = 1;
        datagram[16] = (byte) body.length;
        datagram[24] = (byte) body.length;
        System.arraycopy(body, 0, datagram, 25, body.length);

        session.receive(datagram, 0, datagram.length);

        assertThat(listener.failed.get(5, TimeUnit.SECONDS)).isNotEqualTo("handshake timed out");
        assertFailedOnce();
        assertThat(taskEnded.await(2, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void silenceTimesOut() throws Exception {
        session = new DtlsServerSession(SERVER_CERT, "sha-256 " + CLIENT_CERT.fingerprintSha256(),
                (d, o, l) -> { }, listener, options(Duration.ofMillis(300)));
        session.start();

        assertThat(listener.failed.get(5, TimeUnit.SECONDS)).isEqualTo("handshake timed out");
        assertFailedOnce();
    }

    @Test
    void aFullQueueDropsAndCountsWithoutBlocking() {
        session = new DtlsServerSession(SERVER_CERT, "sha-256 " + CLIENT_CERT.fingerprintSha256(),
                (d, o, l) -> { }, listener, options(Duration.ofSeconds(1)).withReceiveQueueCapacity(4));
        byte[] datagram = new byte[100];

        // Not started, so nothing drains the queue.
        for (int i = 0; i < 10; i++) {
            session.receive(datagram, 0, datagram.length);
        }

        assertThat(counters.queueFullDrops()).isEqualTo(6);
    }

    @Test
    void closeIsIdempotentAndSendsCloseNotify() throws Exception {
        DtlsTestClient client = new DtlsTestClient(CLIENT_CERT, GCM_128);
        DTLSTransport clientDtls = connect(client, CLIENT_CERT, d -> false).get(5, TimeUnit.SECONDS);
        listener.connected.get(5, TimeUnit.SECONDS);

        session.close();
        session.close();

        // The client's record layer only sees the alert while something reads from it.
        byte[] buf = new byte[1500];
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (client.closeNotifyReceived.getCount() > 0 && System.nanoTime() < deadline) {
            clientDtls.receive(buf, 0, buf.length, 50);
        }
        assertThat(client.closeNotifyReceived.getCount()).isZero();
        assertThat(session.isConnected()).isFalse();
        assertThatCode(() -> session.receive(buf, 0, 100)).doesNotThrowAnyException();
        session.close();
        assertThat(taskEnded.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(listener.calls).hasValue(1); // onConnected only: our own close is not reported
    }

    @Test
    void garbageAfterTheHandshakeIsIgnored() throws Exception {
        DtlsTestClient client = new DtlsTestClient(CLIENT_CERT, GCM_128);
        DTLSTransport clientDtls = connect(client, CLIENT_CERT, d -> false).get(5, TimeUnit.SECONDS);
        listener.connected.get(5, TimeUnit.SECONDS);
        Random random = new Random(7);

        for (int i = 0; i < 200; i++) {
            byte[] datagram = new byte[random.nextInt(1400)];
            random.nextBytes(datagram);
            if (i % 2 == 0 && datagram.length > 13) {
                // Epoch 1 records with the right header reach decryption, which must fail quietly.
                datagram[0] = (byte) (20 + random.nextInt(4));
                datagram[1] = (byte) 0xFE;
                datagram[2] = (byte) 0xFD;
                datagram[3] = 0;
                datagram[4] = 1;
                datagram[11] = (byte) ((datagram.length - 13) >> 8);
                datagram[12] = (byte) (datagram.length - 13);
            }
            session.receive(datagram, 0, datagram.length);
        }
        Thread.sleep(200);

        assertThat(session.isConnected()).isTrue();
        assertThat(listener.calls).hasValue(1);
        clientDtls.close();
        assertThat(listener.closed.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @ParameterizedTest(name = "suite 0x{0}, encrypt_then_mac offered: {1}")
    @CsvSource({"C02B, true", "C02C, true", "C009, true", "C009, false"})
    void everySuiteConnectsAndSurvivesARecordTooShortToDecrypt(String suiteHex, boolean encryptThenMac) throws Exception {
        DtlsTestClient client = new DtlsTestClient(CLIENT_CERT, GCM_128).withCipherSuites(Integer.parseInt(suiteHex, 16));
        if (!encryptThenMac) {
            client.withoutEncryptThenMac();
        }
        DTLSTransport clientDtls = connect(client, CLIENT_CERT, d -> false).get(5, TimeUnit.SECONDS);
        assertSameKeys(listener.connected.get(5, TimeUnit.SECONDS), client.keys);
        // An application_data record in epoch 1 with a 1-byte body: BouncyCastle alone would raise decode_error.
        byte[] shortRecord = {23, (byte) 0xFE, (byte) 0xFD, 0, 1, 0, 0, 0, 0, 0, 9, 0, 1, 0x42};

        session.receive(shortRecord, 0, shortRecord.length);
        clientDtls.send(new byte[] {1, 2, 3}, 0, 3); // a datagram behind it proves the first was handled

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (counters.malformedDrops() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(counters.malformedDrops()).isEqualTo(1);
        assertThat(session.isConnected()).isTrue();
        clientDtls.close();
        assertThat(listener.closed.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void closeDuringTheHandshakeEndsTheThreadWithoutAReport() throws Exception {
        session = new DtlsServerSession(SERVER_CERT, "sha-256 " + CLIENT_CERT.fingerprintSha256(),
                (d, o, l) -> { }, listener, options(Duration.ofSeconds(10)));
        session.start();
        Thread.sleep(50);

        session.close();

        assertThat(taskEnded.await(2, TimeUnit.SECONDS)).isTrue();
        assertThat(listener.calls).hasValue(0);
        assertThat(counters.handshakeFailures()).isZero();
    }

    @Test
    void thePeersCloseNotifyIsReported() throws Exception {
        DtlsTestClient client = new DtlsTestClient(CLIENT_CERT, GCM_128);
        DTLSTransport clientDtls = connect(client, CLIENT_CERT, d -> false).get(5, TimeUnit.SECONDS);
        listener.connected.get(5, TimeUnit.SECONDS);

        clientDtls.close();

        assertThat(listener.closed.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(taskEnded.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(session.isConnected()).isFalse();
        assertThat(listener.calls).hasValue(2);
    }

    @Test
    void aLostFinalFlightIsResentAfterTheServerConnected() throws Exception {
        AtomicBoolean lostOne = new AtomicBoolean();
        // The server's Finished is its only handshake record in epoch 1; lose the first copy.
        Predicate<byte[]> loseFirstFinished = d -> d[0] == 22 && d[3] == 0 && d[4] == 1 && lostOne.compareAndSet(false, true);
        DtlsTestClient client = new DtlsTestClient(CLIENT_CERT, GCM_128);

        CompletableFuture<DTLSTransport> clientSide = connect(client, CLIENT_CERT, loseFirstFinished);
        SrtpKeyingMaterial serverKeys = listener.connected.get(5, TimeUnit.SECONDS);
        clientSide.get(8, TimeUnit.SECONDS);

        assertThat(lostOne).isTrue();
        assertSameKeys(serverKeys, client.keys);
    }

    @Test
    void startTwiceIsAnErrorAndStartAfterCloseDoesNothing() {
        session = new DtlsServerSession(SERVER_CERT, "sha-256 " + CLIENT_CERT.fingerprintSha256(),
                (d, o, l) -> { }, listener, options(Duration.ofSeconds(1)));
        session.start();
        assertThatThrownBy(session::start).isInstanceOf(IllegalStateException.class);

        DtlsServerSession closedFirst = new DtlsServerSession(SERVER_CERT, "sha-256 " + CLIENT_CERT.fingerprintSha256(),
                (d, o, l) -> { }, listener, options(Duration.ofSeconds(1)));
        closedFirst.close();
        assertThatCode(closedFirst::start).doesNotThrowAnyException();
    }

    @Test
    void anUnparsableFingerprintIsRejectedUpFront() {
        assertThatThrownBy(() -> new DtlsServerSession(SERVER_CERT, "md5 AB:CD", (d, o, l) -> { }, listener))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("md5");
    }

    private void assertFailedOnce() throws InterruptedException {
        // Give a stray second report the chance to show up.
        Thread.sleep(100);
        assertThat(listener.calls).hasValue(1);
        assertThat(counters.handshakeFailures()).isEqualTo(1);
        assertThat(session.isConnected()).isFalse();
    }

    private static void assertSameKeys(SrtpKeyingMaterial server, SrtpKeyingMaterial client) {
        assertThat(client).isNotNull();
        assertThat(client.profile()).isEqualTo(server.profile());
        assertThat(client.clientKey()).isEqualTo(server.clientKey());
        assertThat(client.clientSalt()).isEqualTo(server.clientSalt());
        assertThat(client.serverKey()).isEqualTo(server.serverKey());
        assertThat(client.serverSalt()).isEqualTo(server.serverSalt());
        // Sanity: a broken exporter tends to produce zeros or identical halves.
        assertThat(server.clientKey()).isNotEqualTo(server.serverKey());
    }
}
