package io.sfufleet.sfu.loadtest.client;

import io.sfufleet.sfu.dtls.DtlsCertificate;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What many synthetic participants share: the HTTP/WebSocket client, one DTLS certificate (a
 * browser has one per profile too), a timer thread for ICE checks, pings and reports, media timer
 * threads that pace every sender, and the local address sockets bind to. Close it after the
 * participants that use it; a participant made without one owns a private runtime.
 */
public final class ClientRuntime implements AutoCloseable {
    private final HttpClient http;
    private final DtlsCertificate certificate;
    private final ScheduledExecutorService timers;
    private final ScheduledExecutorService media;
    private final InetAddress bindAddress;

    /**
     * @param mediaThreads threads that send media; one paces hundreds of audio senders, more help
     *                     when many video senders encrypt at once
     * @param bindAddress  local address of the clients' UDP sockets (loopback for tests and local nodes)
     */
    public ClientRuntime(int mediaThreads, InetAddress bindAddress) {
        if (mediaThreads < 1 || mediaThreads > 64) {
            throw new IllegalArgumentException("mediaThreads must be 1 to 64, got " + mediaThreads);
        }
        this.bindAddress = bindAddress;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        this.certificate = DtlsCertificate.generate();
        this.timers = scheduler(1, "lt-timer");
        this.media = scheduler(mediaThreads, "lt-media");
    }

    /** One media thread, sockets on 127.0.0.1. */
    public static ClientRuntime loopback() {
        return new ClientRuntime(1, InetAddress.getLoopbackAddress());
    }

    private static ScheduledExecutorService scheduler(int threads, String prefix) {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory f = r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true); // a forgotten runtime must not keep a demo's JVM alive
            return t;
        };
        ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(threads, f);
        e.setRemoveOnCancelPolicy(true); // senders come and go; cancelled ones must not pile up
        return Executors.unconfigurableScheduledExecutorService(e);
    }

    public HttpClient http() {
        return http;
    }

    public DtlsCertificate certificate() {
        return certificate;
    }

    public ScheduledExecutorService timers() {
        return timers;
    }

    public ScheduledExecutorService media() {
        return media;
    }

    public InetAddress bindAddress() {
        return bindAddress;
    }

    @Override
    public void close() {
        timers.shutdownNow();
        media.shutdownNow();
        try {
            timers.awaitTermination(5, TimeUnit.SECONDS);
            media.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http.close();
    }
}
