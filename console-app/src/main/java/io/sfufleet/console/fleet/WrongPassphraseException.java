package io.sfufleet.console.fleet;

import io.sfufleet.console.store.StoreException;

/** The passphrase does not open the tokens of this database (it is not the one they were sealed with). */
public final class WrongPassphraseException extends StoreException {
    public WrongPassphraseException(String message) {
        super(message);
    }
}
