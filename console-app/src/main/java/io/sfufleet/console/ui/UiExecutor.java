package io.sfufleet.console.ui;

import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * Where view models send blocking work. The application's one runs {@code work} on a worker
 * thread and the callbacks on the FX thread; tests use {@link #INLINE}, which runs all three at once.
 */
public interface UiExecutor {
    <T> void submit(String what, Callable<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure);

    UiExecutor INLINE = new UiExecutor() {
        @Override
        public <T> void submit(String what, Callable<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
            T result;
            try {
                result = work.call();
            } catch (Exception e) {
                onFailure.accept(e);
                return;
            }
            onSuccess.accept(result);
        }
    };
}
