package io.sfufleet.console.ui;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import javafx.concurrent.Task;

/** Runs work as a {@link Task} on the console's workers; its outcome is handled on the FX thread. */
public final class FxUiExecutor implements UiExecutor {
    private final ExecutorService workers;

    public FxUiExecutor(ExecutorService workers) {
        this.workers = workers;
    }

    @Override
    public <T> void submit(String what, Callable<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
        Task<T> task = new Task<>() {
            @Override
            protected T call() throws Exception {
                return work.call();
            }
        };
        task.setOnSucceeded(e -> onSuccess.accept(task.getValue()));
        task.setOnFailed(e -> onFailure.accept(task.getException()));
        workers.execute(task);
    }
}
