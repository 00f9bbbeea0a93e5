package io.sfufleet.sfu.loadtest.dtls;

import io.sfufleet.sfu.dtls.DtlsCertificate;
import io.sfufleet.sfu.dtls.DtlsFingerprint;
import io.sfufleet.sfu.srtp.SrtpKeyingMaterial;
import io.sfufleet.sfu.srtp.SrtpProfile;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * The DTLS 1.2 client of one peer connection, as a browser is towards the node: ECDHE-ECDSA, its
 * own certificate, {@code use_srtp} offering GCM then AES-CM (RFC 5764, RFC 7714), and the server's
 * certificate accepted only if it matches the SDP fingerprint. BouncyCastle's DTLS blocks, so
 * {@link #handshake} runs on a thread of the caller's (a virtual thread in the client); datagrams
 * from the socket are handed in with {@link #receive}, and datagrams to send leave through the
 * {@link Sender}.
 */
public final class DtlsClientSession implements AutoCloseable {
    /** Where the session's outgoing datagrams go (the peer connection's socket). */
    @FunctionalInterface
    public interface Sender {
        void send(byte[] data, int off, int len) throws IOException;
    }

    /** Records queued before BouncyCastle reads them; a handshake flight is a handful. */
    private static final int MAX_QUEUED = 64;
    private static final int MTU = 1200;

    private final DtlsCertificate certificate;
    private final DtlsFingerprint expectedServer;
    private final Sender sender;
    private final BlockingQueue<byte[]> incoming = new LinkedBlockingQueue<>(MAX_QUEUED);
    private volatile DTLSTransport transport;
    private volatile boolean closed;

    /**
     * @param serverFingerprint the peer's SDP {@code a=fingerprint} value ("sha-256 AB:CD:...")
     * @throws IllegalArgumentException if the fingerprint cannot be parsed
     */
    public DtlsClientSession(DtlsCertificate certificate, String serverFingerprint, Sender sender) {
        this.certificate = certificate;
        this.expectedServer = DtlsFingerprint.parse(serverFingerprint);
        this.sender = sender;
    }

    /** A DTLS record from the peer (first byte 20 to 63, RFC 7983). Never blocks; drops when the queue is full. */
    public void receive(byte[] buf, int off, int len) {
        if (!closed) {
            incoming.offer(Arrays.copyOfRange(buf, off, off + len));
        }
    }

    /**
     * Runs the handshake to its end and returns the exported SRTP keys. Blocks up to
     * {@code timeoutMillis}.
     *
     * @throws IOException with BouncyCastle's reason (alert, timeout, fingerprint mismatch)
     */
    public SrtpKeyingMaterial handshake(int timeoutMillis) throws IOException {
        Client client = new Client(timeoutMillis);
        transport = new DTLSClientProtocol().connect(client, new Link());
        if (client.keys == null) {
            throw new IOException("DTLS handshake completed without SRTP keys");
        }
        return client.keys;
    }

    /** Sends close_notify (once connected) and stops reading. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        DTLSTransport t = transport;
        if (t != null) {
            try {
                t.close();
            } catch (IOException e) {
                // the peer may be gone already; close_notify is a courtesy
            }
        }
        incoming.clear();
    }

    /** The datagram link BouncyCastle reads and writes. */
    private final class Link implements DatagramTransport {
        @Override
        public int getReceiveLimit() {
            return 1500;
        }

        @Override
        public int getSendLimit() {
            return MTU;
        }

        @Override
        public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
            if (closed) {
                throw new IOException("DTLS session closed");
            }
            try {
                byte[] d = incoming.poll(Math.max(1, waitMillis), TimeUnit.MILLISECONDS);
                if (d == null) {
                    return -1;
                }
                int n = Math.min(len, d.length);
                System.arraycopy(d, 0, buf, off, n);
                return n;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted during DTLS");
            }
        }

        @Override
        public void send(byte[] buf, int off, int len) throws IOException {
            if (!closed) {
                sender.send(buf, off, len);
            }
        }

        @Override
        public void close() {
        }
    }

    private final class Client extends DefaultTlsClient {
        private final int timeoutMillis;
        private SrtpProfile profile;
        volatile SrtpKeyingMaterial keys;

        Client(int timeoutMillis) {
            super(new BcTlsCrypto(new SecureRandom()));
            this.timeoutMillis = timeoutMillis;
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return ProtocolVersion.DTLSv12.only();
        }

        @Override
        protected int[] getSupportedCipherSuites() {
            // What browsers offer; the RSA suites are for servers with RSA certificates (Janus can have one).
            return new int[] {
                    CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
                    CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
                    CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
                    CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
                    CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
                    CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
            };
        }

        @Override
        public int getHandshakeTimeoutMillis() {
            return timeoutMillis;
        }

        @Override
        public Hashtable getClientExtensions() throws IOException {
            Hashtable extensions = TlsExtensionsUtils.ensureExtensionsInitialised(super.getClientExtensions());
            TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(new int[] {
                    SrtpProfile.AEAD_AES_128_GCM.id, SrtpProfile.AES128_CM_HMAC_SHA1_80.id}, TlsUtils.EMPTY_BYTES));
            return extensions;
        }

        @Override
        public void processServerExtensions(Hashtable serverExtensions) throws IOException {
            super.processServerExtensions(serverExtensions);
            UseSRTPData selected = TlsSRTPUtils.getUseSRTPExtension(serverExtensions);
            if (selected == null || selected.getProtectionProfiles().length != 1
                    || SrtpProfile.byId(selected.getProtectionProfiles()[0]) == null) {
                throw new TlsFatalAlert(AlertDescription.illegal_parameter);
            }
            profile = SrtpProfile.byId(selected.getProtectionProfiles()[0]);
        }

        @Override
        public void notifyHandshakeComplete() throws IOException {
            super.notifyHandshakeComplete();
            keys = SrtpKeyingMaterial.fromExporter(profile, context.exportKeyingMaterial(
                    ExporterLabel.dtls_srtp, null, 2 * (profile.keyLength + profile.saltLength)));
        }

        @Override
        public TlsAuthentication getAuthentication() {
            return new TlsAuthentication() {
                @Override
                public void notifyServerCertificate(TlsServerCertificate server) throws IOException {
                    if (server.getCertificate().isEmpty()
                            || !expectedServer.matches(server.getCertificate().getCertificateAt(0).getEncoded())) {
                        // The fingerprint in the SDP is the only thing that authenticates the peer.
                        throw new TlsFatalAlert(AlertDescription.bad_certificate);
                    }
                }

                @Override
                public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
                    return certificate.signer(new TlsCryptoParameters(context), (BcTlsCrypto) getCrypto(),
                            SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
                }
            };
        }
    }
}
