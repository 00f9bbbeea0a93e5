package io.sfufleet.console.ui.logs;

import io.sfufleet.console.provision.HostSession;
import io.sfufleet.console.provision.logs.LogTail;
import io.sfufleet.console.ui.Dialogs;
import io.sfufleet.console.ui.Provisioning;
import io.sfufleet.console.ui.UiExecutor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * One host's node log, followed: the last lines, then new ones as the host writes them. The tail
 * runs on a worker (the FX thread never waits on SSH); lines reach the FX thread in batches through
 * {@code fx}. The buffer keeps the newest {@link #capacity} lines, so a chatty node cannot fill the
 * console's memory. Paused, lines still arrive and are kept, but the shown list stands still.
 */
public final class LogsViewModel {
    /** How many lines the pane keeps: several minutes of a busy node, cheap to filter on each key. */
    public static final int DEFAULT_CAPACITY = 5000;
    /** The lines asked for when the pane opens. */
    public static final int DEFAULT_LAST = 200;

    private final Provisioning p;
    private final UiExecutor executor;
    private final Executor fx;
    private final String host;
    private final int capacity;
    private final ArrayDeque<String> buffer = new ArrayDeque<>();
    private final ObservableList<String> shown = FXCollections.observableArrayList();
    private final StringProperty filter = new SimpleStringProperty("");
    private final BooleanProperty paused = new SimpleBooleanProperty(false);
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(false);
    private final StringProperty status = new SimpleStringProperty("");
    private final ConcurrentLinkedQueue<String> incoming = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private volatile LogTail.Tail tail;
    private volatile boolean stopped;
    private long received;
    private long dropped;

    /**
     * @param fx runs a task on the FX thread ({@code Platform::runLater} in the window)
     */
    public LogsViewModel(Provisioning provisioning, UiExecutor executor, Executor fx, String host, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("the buffer must hold at least one line, not " + capacity);
        }
        this.p = provisioning;
        this.executor = executor;
        this.fx = fx;
        this.host = host;
        this.capacity = capacity;
        filter.addListener((o, was, now) -> rebuild());
        paused.addListener((o, was, now) -> {
            if (!now) {
                rebuild();
            }
            status();
        });
    }

    /** Connects and follows the log from its last {@code lines}; the status says why when it cannot. */
    public void start(int lines) {
        if (running.get()) {
            return;
        }
        stopped = false;
        running.set(true);
        status.set("connecting to " + host + "…");
        executor.submit("follow the log of " + host, () -> {
            try (HostSession s = p.hosts().connect(host)) {
                LogTail.Tail t = LogTail.open(s, lines, true);
                tail = t;
                if (stopped) {  // closed while connecting: end the tail at once
                    t.cancel();
                }
                fx.execute(() -> status.set("following " + t.source().where()));
                return t.forEach(this::offer);
            }
        }, n -> {
            running.set(false);
            status.set("stopped after " + received + " lines");
        }, t -> {
            running.set(false);
            status.set("cannot follow the log of " + host + ": " + Dialogs.message(t));
        });
    }

    /** Ends the remote tail (the pane calls it when it closes); safe more than once, from any thread. */
    public void stop() {
        stopped = true;
        LogTail.Tail t = tail;
        if (t != null) {
            t.cancel();
        }
    }

    /** On the tail's worker: queued, then drained on the FX thread in one batch. */
    private void offer(String line) {
        incoming.add(line);
        if (drainScheduled.compareAndSet(false, true)) {
            fx.execute(this::drain);
        }
    }

    private void drain() {
        drainScheduled.set(false);
        List<String> batch = new ArrayList<>();
        for (String l; (l = incoming.poll()) != null;) {
            batch.add(l);
        }
        if (batch.isEmpty()) {
            return;
        }
        received += batch.size();
        for (String l : batch) {
            if (buffer.size() == capacity) {
                buffer.removeFirst();
                dropped++;
            }
            buffer.addLast(l);
        }
        if (!paused.get()) {
            String f = needle();
            List<String> add = f.isEmpty() ? batch : batch.stream().filter(l -> matches(l, f)).toList();
            shown.addAll(add.size() > capacity ? add.subList(add.size() - capacity, add.size()) : add);
            int over = shown.size() - capacity;
            if (over > 0) {
                shown.remove(0, over);
            }
        }
        status();
    }

    private void rebuild() {
        String f = needle();
        shown.setAll(f.isEmpty() ? List.copyOf(buffer) : buffer.stream().filter(l -> matches(l, f)).toList());
        status();
    }

    private void status() {
        if (!running.get()) {
            return;
        }
        status.set((paused.get() ? "paused; " : "") + received + " lines"
                + (dropped > 0 ? " (oldest " + dropped + " dropped, " + capacity + " kept)" : "")
                + (needle().isEmpty() ? "" : ", " + shown.size() + " match"));
    }

    private String needle() {
        String f = filter.get();
        return f == null ? "" : f.strip().toLowerCase(Locale.ROOT);
    }

    private static boolean matches(String line, String needle) {
        return line.toLowerCase(Locale.ROOT).contains(needle);
    }

    public String host() { return host; }
    public int capacity() { return capacity; }
    /** The lines shown: the buffer's lines matching the filter (frozen while paused). */
    public ObservableList<String> lines() { return shown; }
    /** Every line kept (the newest {@link #capacity}), whatever the filter. */
    public List<String> buffered() { return List.copyOf(buffer); }
    /** Case-insensitive text a shown line must contain; empty shows all. */
    public StringProperty filterProperty() { return filter; }
    public BooleanProperty pausedProperty() { return paused; }
    public ReadOnlyBooleanProperty runningProperty() { return running.getReadOnlyProperty(); }
    public StringProperty statusProperty() { return status; }
}
