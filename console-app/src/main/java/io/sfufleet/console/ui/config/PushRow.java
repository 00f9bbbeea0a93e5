package io.sfufleet.console.ui.config;

import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/** One host of a push: the stage it is at, then its result (reload or restart) or why it failed. */
public final class PushRow {
    private final String host;
    private final StringProperty stage = new SimpleStringProperty("waiting");
    private final StringProperty result = new SimpleStringProperty("");
    private final StringProperty message = new SimpleStringProperty("");

    PushRow(String host) {
        this.host = host;
    }

    public String host() { return host; }
    public StringProperty stageProperty() { return stage; }
    /** reloaded, restarted, unchanged or failed; empty while it runs. */
    public StringProperty resultProperty() { return result; }
    public StringProperty messageProperty() { return message; }
}
