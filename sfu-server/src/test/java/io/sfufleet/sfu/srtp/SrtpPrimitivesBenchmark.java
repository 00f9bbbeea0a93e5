package io.sfufleet.sfu.srtp;

import java.security.GeneralSecurityException;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.modes.SICBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The candidate primitives for SRTP's per-packet crypto, side by side in one run, each used the
 * way a per-packet transform would use it (a new IV every packet, state reused across packets):
 *
 * <ul>
 *   <li>OpenSSL's libcrypto through FFM ({@link OpenSslAes}) for AES-CTR and AES-GCM: IV set per
 *       packet, key schedule kept, packet copied through native buffers;
 *   <li>AES counter mode: ours ({@link AesCounterMode}: the whole packet's counter blocks through a
 *       reused JDK AES/ECB cipher) against the JDK's AES/CTR with an init per packet and
 *       BouncyCastle's SICBlockCipher(AESEngine) with an init per packet;
 *   <li>AES-GCM seal of the RTP payload with the 12-byte header as AAD: ours (AesCounterMode plus
 *       {@link Ghash}) against the JDK's AES/GCM with an init per packet (it forbids reusing an IV,
 *       so it cannot be initialised once) and BouncyCastle's GCMBlockCipher re-initialised with a
 *       new nonce (key kept);
 *   <li>HMAC-SHA1 over the packet: ours ({@link HmacSha1} on a reused MessageDigest) against a
 *       reused JDK {@code Mac} ({@code doFinal(out, off)}) and BouncyCastle's HMac(SHA1Digest).
 * </ul>
 *
 * <p>Run with {@code bench/jmh.sh SrtpPrimitivesBenchmark -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SrtpPrimitivesBenchmark {
    private static final int HEADER = 12;

    @Param({"160", "1200"})
    public int payload;

    private final byte[] key = new byte[16];
    private final byte[] macKey = new byte[20];
    private byte[] packet;
    private final byte[] iv = new byte[16];
    private final byte[] nonce = new byte[12];
    private final byte[] out = new byte[2048];
    private int counter;

    private AesCounterMode ours;
    private Ghash ghash;
    private SecretKey jdkKey;
    private Cipher jdkCtr;
    private Cipher jdkGcm;
    private SICBlockCipher bcCtr;
    private KeyParameter bcKey;
    private GCMModeCipher bcGcm;
    private HmacSha1 ourMac;
    private Mac jdkMac;
    private HMac bcMac;
    private OpenSslAes sslCtr;
    private OpenSslAes sslGcm;

    @Setup
    public void setUp() throws GeneralSecurityException {
        Random random = new Random(1);
        random.nextBytes(key);
        random.nextBytes(macKey);
        packet = new byte[HEADER + payload + 16];
        random.nextBytes(packet);
        ours = new AesCounterMode(key);
        ours.generate(new byte[16], 16);
        byte[] h = new byte[16];
        ours.copy(0, h, 0, 16);
        ghash = new Ghash(h);
        jdkKey = new SecretKeySpec(key, "AES");
        jdkCtr = Cipher.getInstance("AES/CTR/NoPadding");
        jdkGcm = Cipher.getInstance("AES/GCM/NoPadding");
        bcCtr = new SICBlockCipher(AESEngine.newInstance());
        bcKey = new KeyParameter(key);
        bcGcm = GCMBlockCipher.newInstance(AESEngine.newInstance());
        bcGcm.init(true, new AEADParameters(bcKey, 128, new byte[12]));
        ourMac = new HmacSha1(macKey);
        jdkMac = Mac.getInstance("HmacSHA1");
        jdkMac.init(new SecretKeySpec(macKey, "HmacSHA1"));
        bcMac = new HMac(new SHA1Digest());
        bcMac.init(new KeyParameter(macKey));
        sslCtr = new OpenSslAes(key, false);
        sslGcm = new OpenSslAes(key, true);
    }

    /** A fresh IV per packet, as SRTP's packet index gives. */
    private void nextIv() {
        int c = ++counter;
        iv[8] = (byte) (c >> 24);
        iv[9] = (byte) (c >> 16);
        iv[10] = (byte) (c >> 8);
        iv[11] = (byte) c;
        System.arraycopy(iv, 0, nonce, 0, 12);
    }

    @Benchmark
    public byte ctrOurs() {
        nextIv();
        ours.generate(iv, payload);
        ours.xor(0, packet, HEADER, payload);
        return packet[HEADER];
    }

    @Benchmark
    public byte ctrOpenSsl() {
        nextIv();
        sslCtr.ctr(iv, packet, HEADER, payload);
        return packet[HEADER];
    }

    @Benchmark
    public byte gcmOpenSsl() {
        nextIv();
        sslGcm.gcm(true, nonce, packet, 0, HEADER, null, 0, payload, out, 0);
        return out[0];
    }

    @Benchmark
    public byte ctrJdkInitPerPacket() throws GeneralSecurityException {
        nextIv();
        jdkCtr.init(Cipher.ENCRYPT_MODE, jdkKey, new IvParameterSpec(iv));
        jdkCtr.doFinal(packet, HEADER, payload, out, 0);
        return out[0];
    }

    @Benchmark
    public byte ctrBouncyCastleInitPerPacket() {
        nextIv();
        bcCtr.init(true, new ParametersWithIV(bcKey, iv));
        bcCtr.processBytes(packet, HEADER, payload, out, 0);
        return out[0];
    }

    @Benchmark
    public byte gcmOurs() {
        nextIv();
        byte[] j0 = iv;
        j0[15] = 1;
        ours.generate(j0, 16 + payload);
        ours.xor(16, packet, HEADER, payload);
        ghash.reset();
        ghash.update(packet, 0, HEADER);
        ghash.endPart();
        ghash.update(packet, HEADER, payload);
        ghash.updateLengths(HEADER, payload);
        ours.copy(0, out, 0, 16);
        ghash.xorInto(out, 0);
        return out[0];
    }

    @Benchmark
    public byte gcmJdkInitPerPacket() throws GeneralSecurityException {
        nextIv();
        jdkGcm.init(Cipher.ENCRYPT_MODE, jdkKey, new GCMParameterSpec(128, nonce));
        jdkGcm.updateAAD(packet, 0, HEADER);
        jdkGcm.doFinal(packet, HEADER, payload, out, 0);
        return out[0];
    }

    @Benchmark
    public byte gcmBouncyCastleNewNonce() throws Exception {
        nextIv();
        bcGcm.init(true, new AEADParameters(null, 128, nonce));
        bcGcm.processAADBytes(packet, 0, HEADER);
        int n = bcGcm.processBytes(packet, HEADER, payload, out, 0);
        bcGcm.doFinal(out, n);
        return out[0];
    }

    @Benchmark
    public byte hmacOurs() {
        ourMac.start();
        ourMac.update(packet, 0, HEADER + payload);
        ourMac.finish(out, 0);
        return out[0];
    }

    @Benchmark
    public byte hmacJdkMacReused() throws GeneralSecurityException {
        jdkMac.update(packet, 0, HEADER + payload);
        jdkMac.doFinal(out, 0);
        return out[0];
    }

    @Benchmark
    public byte hmacBouncyCastle() {
        bcMac.update(packet, 0, HEADER + payload);
        bcMac.doFinal(out, 0);
        return out[0];
    }
}
