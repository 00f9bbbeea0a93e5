package io.sfufleet.sfu.srtp;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.ref.Cleaner;

/**
 * AES-128 in counter mode and GCM through the system's OpenSSL 3 libcrypto, called with the FFM
 * API (no JNI library of our own). Measured against the candidates (docs/benchmarks.md): the JDK's
 * AES/CTR and AES/GCM need a {@code Cipher.init} and new parameter objects per packet (112 and
 * about 1,000 bytes of garbage), a reused AES/ECB cipher is not vectorised as a whole, and GHASH in
 * Java (no carry-less multiply) costs about 40 ns per block; OpenSSL's stitched AES-NI/VAES and
 * PCLMUL code changes only the IV per packet and keeps the key schedule.
 *
 * <p>One instance holds one key's cipher context and native buffers the packet is copied through
 * (two copies of at most 1.5 KB cost far less than a JNI-style pinning or an init), so a packet
 * allocates nothing on the Java heap. Not thread-safe. The context is freed on {@link #close} or,
 * if that is never called, when the instance becomes unreachable. Check {@link #AVAILABLE} first:
 * without libcrypto the callers use the portable Java transforms.
 */
final class OpenSslAes implements AutoCloseable {
    private static final int EVP_CTRL_AEAD_GET_TAG = 0x10;
    private static final int EVP_CTRL_AEAD_SET_TAG = 0x11;
    private static final int SCRATCH = AesCounterMode.MAX_BYTES + 64;

    /** Whether libcrypto.so.3 was found with every function used here. */
    static final boolean AVAILABLE;
    private static final String UNAVAILABLE_REASON;
    private static final MethodHandle CTX_NEW;
    private static final MethodHandle CTX_FREE;
    private static final MethodHandle AES_128_CTR;
    private static final MethodHandle AES_128_GCM;
    private static final MethodHandle CIPHER_INIT;
    private static final MethodHandle CIPHER_UPDATE;
    private static final MethodHandle CIPHER_FINAL;
    private static final MethodHandle CTX_CTRL;

    static {
        MethodHandle ctxNew = null;
        MethodHandle ctxFree = null;
        MethodHandle ctr = null;
        MethodHandle gcm = null;
        MethodHandle init = null;
        MethodHandle update = null;
        MethodHandle fin = null;
        MethodHandle ctrl = null;
        String reason = null;
        try {
            if (Boolean.getBoolean("sfu.srtp.noOpenSsl")) {
                throw new IllegalStateException("turned off with -Dsfu.srtp.noOpenSsl=true");
            }
            Linker linker = Linker.nativeLinker();
            SymbolLookup crypto = SymbolLookup.libraryLookup("libcrypto.so.3", Arena.global());
            // critical: short calls that never call back into Java; skips the thread-state dance.
            Linker.Option critical = Linker.Option.critical(false);
            ctxNew = linker.downcallHandle(crypto.findOrThrow("EVP_CIPHER_CTX_new"),
                    FunctionDescriptor.of(ValueLayout.ADDRESS));
            ctxFree = linker.downcallHandle(crypto.findOrThrow("EVP_CIPHER_CTX_free"),
                    FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
            ctr = linker.downcallHandle(crypto.findOrThrow("EVP_aes_128_ctr"), FunctionDescriptor.of(ValueLayout.ADDRESS));
            gcm = linker.downcallHandle(crypto.findOrThrow("EVP_aes_128_gcm"), FunctionDescriptor.of(ValueLayout.ADDRESS));
            init = linker.downcallHandle(crypto.findOrThrow("EVP_CipherInit_ex"),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                            ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT), critical);
            update = linker.downcallHandle(crypto.findOrThrow("EVP_CipherUpdate"),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                            ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT), critical);
            fin = linker.downcallHandle(crypto.findOrThrow("EVP_CipherFinal_ex"),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                            ValueLayout.ADDRESS), critical);
            ctrl = linker.downcallHandle(crypto.findOrThrow("EVP_CIPHER_CTX_ctrl"),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                            ValueLayout.JAVA_INT, ValueLayout.ADDRESS), critical);
        } catch (RuntimeException | LinkageError e) {
            reason = e.toString();
        }
        AVAILABLE = reason == null;
        UNAVAILABLE_REASON = reason;
        CTX_NEW = ctxNew;
        CTX_FREE = ctxFree;
        AES_128_CTR = ctr;
        AES_128_GCM = gcm;
        CIPHER_INIT = init;
        CIPHER_UPDATE = update;
        CIPHER_FINAL = fin;
        CTX_CTRL = ctrl;
    }

    /** Why OpenSSL is not used, or null if it is. */
    static String unavailableReason() {
        return UNAVAILABLE_REASON;
    }

    private static final Cleaner CLEANER = Cleaner.create();

    /** Native buffers, freed by the GC with this instance; the cipher context by {@link #cleanable}. */
    private final Arena arena = Arena.ofAuto();
    private final MemorySegment ctx;
    private final Cleaner.Cleanable cleanable;
    private final MemorySegment aad;
    private final MemorySegment text;
    private final MemorySegment finalOut;
    private final MemorySegment iv;
    private final MemorySegment outLength;
    private final MemorySegment tag;

    /**
     * @param key the 16-byte session key
     * @param gcm AES-GCM (12-byte IV) if true, AES-CTR (16-byte counter block) if false
     */
    OpenSslAes(byte[] key, boolean gcm) {
        if (!AVAILABLE) {
            throw new IllegalStateException("OpenSSL libcrypto is not usable: " + UNAVAILABLE_REASON);
        }
        aad = arena.allocate(SCRATCH, 16);
        text = arena.allocate(SCRATCH, 16);
        finalOut = arena.allocate(32, 16);
        iv = arena.allocate(16);
        outLength = arena.allocate(ValueLayout.JAVA_INT);
        tag = arena.allocate(16);
        MemorySegment k = arena.allocate(16);
        MemorySegment.copy(key, 0, k, ValueLayout.JAVA_BYTE, 0, 16);
        MemorySegment context;
        try {
            context = (MemorySegment) CTX_NEW.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException("EVP_CIPHER_CTX_new failed", t);
        }
        if (context.equals(MemorySegment.NULL)) {
            throw new IllegalStateException("EVP_CIPHER_CTX_new failed");
        }
        ctx = context;
        cleanable = CLEANER.register(this, () -> free(context));
        try {
            MemorySegment cipher = gcm ? (MemorySegment) AES_128_GCM.invokeExact() : (MemorySegment) AES_128_CTR.invokeExact();
            check((int) CIPHER_INIT.invokeExact(ctx, cipher, MemorySegment.NULL, k, MemorySegment.NULL, 1), "init");
        } catch (RuntimeException e) {
            cleanable.clean();
            throw e;
        } catch (Throwable t) {
            cleanable.clean();
            throw new IllegalStateException("OpenSSL call failed", t);
        } finally {
            k.fill((byte) 0);
        }
    }

    /** Frees the context (and with it OpenSSL's copy of the key schedule); must not capture the instance. */
    private static void free(MemorySegment context) {
        try {
            CTX_FREE.invokeExact(context);
        } catch (Throwable t) {
            throw new IllegalStateException("EVP_CIPHER_CTX_free failed", t);
        }
    }

    /** XORs the AES-CTR keystream that starts at counter block {@code counter} into {@code buf}. */
    void ctr(byte[] counter, byte[] buf, int off, int len) {
        MemorySegment.copy(counter, 0, iv, ValueLayout.JAVA_BYTE, 0, 16);
        MemorySegment.copy(buf, off, text, ValueLayout.JAVA_BYTE, 0, len);
        try {
            check((int) CIPHER_INIT.invokeExact(ctx, MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL, iv, 1),
                    "CTR IV");
            check((int) CIPHER_UPDATE.invokeExact(ctx, text, outLength, text, len), "CTR update");
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("OpenSSL call failed", t);
        }
        MemorySegment.copy(text, ValueLayout.JAVA_BYTE, 0, buf, off, len);
    }

    /**
     * AES-GCM over a packet: the AAD is {@code aadLen} bytes at {@code off} followed by
     * {@code aad2Len} bytes of {@code aad2} (SRTCP's E flag and index), the text the {@code textLen}
     * bytes right after the first AAD part. Sealing encrypts the text in place and writes the tag to
     * {@code tagOut}; opening checks the tag in {@code tagIn} first and leaves the buffer untouched
     * if it does not match.
     *
     * @return false only when opening and the tag does not match
     */
    boolean gcm(boolean seal, byte[] nonce, byte[] buf, int off, int aadLen, byte[] aad2, int aad2Len, int textLen,
                byte[] tagBuf, int tagOff) {
        MemorySegment.copy(nonce, 0, iv, ValueLayout.JAVA_BYTE, 0, 12);
        MemorySegment.copy(buf, off, aad, ValueLayout.JAVA_BYTE, 0, aadLen);
        if (aad2Len > 0) {
            MemorySegment.copy(aad2, 0, aad, ValueLayout.JAVA_BYTE, aadLen, aad2Len);
        }
        MemorySegment.copy(buf, off + aadLen, text, ValueLayout.JAVA_BYTE, 0, textLen);
        try {
            check((int) CIPHER_INIT.invokeExact(ctx, MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL, iv,
                    seal ? 1 : 0), "GCM IV");
            int aadTotal = aadLen + aad2Len;
            if (aadTotal > 0) {
                check((int) CIPHER_UPDATE.invokeExact(ctx, MemorySegment.NULL, outLength, aad, aadTotal), "GCM AAD");
            }
            if (textLen > 0) {
                check((int) CIPHER_UPDATE.invokeExact(ctx, text, outLength, text, textLen), "GCM update");
            }
            if (seal) {
                check((int) CIPHER_FINAL.invokeExact(ctx, finalOut, outLength), "GCM final");
                check((int) CTX_CTRL.invokeExact(ctx, EVP_CTRL_AEAD_GET_TAG, 16, tag), "GCM tag");
                MemorySegment.copy(tag, ValueLayout.JAVA_BYTE, 0, tagBuf, tagOff, 16);
            } else {
                MemorySegment.copy(tagBuf, tagOff, tag, ValueLayout.JAVA_BYTE, 0, 16);
                check((int) CTX_CTRL.invokeExact(ctx, EVP_CTRL_AEAD_SET_TAG, 16, tag), "GCM tag");
                if ((int) CIPHER_FINAL.invokeExact(ctx, finalOut, outLength) != 1) {
                    return false;
                }
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("OpenSSL call failed", t);
        }
        MemorySegment.copy(text, ValueLayout.JAVA_BYTE, 0, buf, off + aadLen, textLen);
        return true;
    }

    private static void check(int result, String what) {
        if (result != 1) {
            throw new IllegalStateException("OpenSSL " + what + " failed");
        }
    }

    /** Frees the cipher context now instead of when the GC finds this instance unreachable. */
    @Override
    public void close() {
        cleanable.clean();
    }
}
