package io.sfufleet.sfu.dtls;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import io.sfufleet.sfu.srtp.SrtpKeyingMaterial;

/** Records what a {@link DtlsServerSession} reported, and how often. */
final class RecordingListener implements DtlsServerSession.Listener {
    final CompletableFuture<SrtpKeyingMaterial> connected = new CompletableFuture<>();
    final CompletableFuture<String> failed = new CompletableFuture<>();
    final CountDownLatch closed = new CountDownLatch(1);
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public void onConnected(SrtpKeyingMaterial keys) {
        calls.incrementAndGet();
        connected.complete(keys);
    }

    @Override
    public void onFailed(String reason, Throwable cause) {
        calls.incrementAndGet();
        failed.complete(reason);
    }

    @Override
    public void onClosed() {
        calls.incrementAndGet();
        closed.countDown();
    }
}
