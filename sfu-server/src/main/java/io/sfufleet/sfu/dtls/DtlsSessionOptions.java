package io.sfufleet.sfu.dtls;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * How a {@link DtlsServerSession} runs.
 *
 * @param handshakeTimeout  how long the whole handshake may take, from {@code start()}
 * @param receiveQueueCapacity incoming datagrams held for the session's thread; more are dropped and counted
 * @param executor runs one long-lived blocking task per session (the handshake, then the record
 *                 reader until close): it must give each task its own thread, as
 *                 {@link #VIRTUAL_THREADS} does, not a small fixed pool
 * @param counters where the session counts drops and outcomes, usually shared by the node
 */
public record DtlsSessionOptions(Duration handshakeTimeout, int receiveQueueCapacity, Executor executor, DtlsCounters counters) {
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_RECEIVE_QUEUE_CAPACITY = 64;
    private static final Duration MAX_HANDSHAKE_TIMEOUT = Duration.ofMinutes(10);
    private static final int MAX_RECEIVE_QUEUE_CAPACITY = 4096;

    /** A new virtual thread per task: the session's thread spends its life blocked in BouncyCastle. */
    public static final Executor VIRTUAL_THREADS = task -> Thread.ofVirtual().name("dtls-session").start(task);

    public DtlsSessionOptions {
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        Objects.requireNonNull(executor, "executor");
        Objects.requireNonNull(counters, "counters");
        if (handshakeTimeout.toMillis() < 1 || handshakeTimeout.compareTo(MAX_HANDSHAKE_TIMEOUT) > 0) {
            throw new IllegalArgumentException(
                    "handshakeTimeout must be between 1 ms and " + MAX_HANDSHAKE_TIMEOUT + ", got " + handshakeTimeout);
        }
        if (receiveQueueCapacity < 1 || receiveQueueCapacity > MAX_RECEIVE_QUEUE_CAPACITY) {
            throw new IllegalArgumentException(
                    "receiveQueueCapacity must be between 1 and " + MAX_RECEIVE_QUEUE_CAPACITY + ", got " + receiveQueueCapacity);
        }
    }

    /** 30 s handshake timeout, 64 queued datagrams, virtual threads, fresh counters. */
    public static DtlsSessionOptions defaults() {
        return new DtlsSessionOptions(DEFAULT_HANDSHAKE_TIMEOUT, DEFAULT_RECEIVE_QUEUE_CAPACITY, VIRTUAL_THREADS, new DtlsCounters());
    }

    public DtlsSessionOptions withHandshakeTimeout(Duration timeout) {
        return new DtlsSessionOptions(timeout, receiveQueueCapacity, executor, counters);
    }

    public DtlsSessionOptions withReceiveQueueCapacity(int capacity) {
        return new DtlsSessionOptions(handshakeTimeout, capacity, executor, counters);
    }

    public DtlsSessionOptions withExecutor(Executor newExecutor) {
        return new DtlsSessionOptions(handshakeTimeout, receiveQueueCapacity, newExecutor, counters);
    }

    public DtlsSessionOptions withCounters(DtlsCounters newCounters) {
        return new DtlsSessionOptions(handshakeTimeout, receiveQueueCapacity, executor, newCounters);
    }
}
