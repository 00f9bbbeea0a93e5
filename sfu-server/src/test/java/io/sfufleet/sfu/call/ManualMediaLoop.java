package io.sfufleet.sfu.call;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A media loop for tests and benchmarks that is driven by its owner: tasks posted with
 * {@code execute} or {@code schedule} wait in a queue until the owning thread calls
 * {@link #runPending()}, so the thread that drives the fixture <em>is</em> the media loop and
 * nothing runs behind its back (a deferred PLI fires only when the owner says so).
 *
 * <p>Not thread-safe, on purpose: like the real loop it belongs to one thread. Periodic tasks
 * are refused; the fixture never starts the report tick.
 */
public final class ManualMediaLoop extends AbstractExecutorService implements ScheduledExecutorService {
    private final ArrayDeque<Runnable> ready = new ArrayDeque<>();
    private final PriorityQueue<Deferred<?>> deferred = new PriorityQueue<>();
    private long sequence;
    private boolean shutdown;

    /**
     * Runs posted tasks, and tasks posted by them, until none is left; deferred tasks that are due
     * by now run too. Returns how many ran. A deferred task that fails throws here instead of
     * hiding the exception in its future, so tests and fuzzers see it.
     */
    public int runPending() {
        int ran = 0;
        while (true) {
            long now = System.nanoTime();
            while (!deferred.isEmpty() && deferred.peek().dueNanos - now <= 0) {
                ready.add(deferred.poll());
            }
            Runnable r = ready.poll();
            if (r == null) {
                return ran;
            }
            r.run();
            ran++;
            if (r instanceof Deferred<?> d) {
                d.rethrowFailure();
            }
        }
    }

    /** Drops every deferred task (a fixture reset between fuzz inputs). */
    public void discardDeferred() {
        deferred.clear();
    }

    public int deferredCount() {
        return deferred.size();
    }

    @Override
    public void execute(Runnable command) {
        if (shutdown) {
            throw new RejectedExecutionException("media loop shut down");
        }
        ready.add(command);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return schedule(() -> {
            command.run();
            return null;
        }, delay, unit);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        if (shutdown) {
            throw new RejectedExecutionException("media loop shut down");
        }
        Deferred<V> d = new Deferred<>(callable, System.nanoTime() + unit.toNanos(delay), sequence++);
        deferred.add(d);
        return d;
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException("periodic tasks are not run by the manual media loop");
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("periodic tasks are not run by the manual media loop");
    }

    @Override
    public void shutdown() {
        shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown = true;
        List<Runnable> left = new ArrayList<>(ready);
        left.addAll(deferred);
        ready.clear();
        deferred.clear();
        return left;
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return shutdown;
    }

    private static final class Deferred<V> extends FutureTask<V> implements ScheduledFuture<V> {
        final long dueNanos;
        final long order;

        Deferred(Callable<V> callable, long dueNanos, long order) {
            super(callable);
            this.dueNanos = dueNanos;
            this.order = order;
        }

        void rethrowFailure() {
            try {
                get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                if (e.getCause() instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException | CancellationException e) {
                // cancelled tasks are fine; interruption cannot happen on a completed task
            }
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            Deferred<?> other = (Deferred<?>) o;
            int c = Long.compare(dueNanos - other.dueNanos, 0);
            return c != 0 ? c : Long.compare(order, other.order);
        }
    }
}
