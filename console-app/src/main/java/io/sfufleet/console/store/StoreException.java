package io.sfufleet.console.store;

/** The console's database could not be opened, read or written; the message says which file and why. */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
