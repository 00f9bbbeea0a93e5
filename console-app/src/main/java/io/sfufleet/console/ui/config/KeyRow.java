package io.sfufleet.console.ui.config;

import io.sfufleet.console.provision.config.NodeConfig;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/** One key of the editor: what the desired config has, what the operator typed, and why a value was refused. */
public final class KeyRow {
    private final NodeConfig.Entry entry;
    private final StringProperty value;
    private final BooleanProperty changed = new SimpleBooleanProperty(false);
    private final StringProperty error = new SimpleStringProperty("");

    KeyRow(NodeConfig.Entry entry) {
        this.entry = entry;
        this.value = new SimpleStringProperty(entry.value());
    }

    public String section() { return entry.key().section().tomlName(); }
    public String key() { return entry.key().key(); }
    public String name() { return entry.key().tomlName(); }
    /** The value the stored desired config has (the row is "changed" when the edited value differs). */
    public String stored() { return entry.value(); }
    public String defaultValue() { return entry.defaultValue(); }
    public String allowed() { return entry.allowed().isEmpty() ? entry.type() : entry.allowed(); }
    public String reload() { return entry.hot() ? "hot" : "restart"; }
    public String description() { return entry.description(); }

    public StringProperty valueProperty() { return value; }
    public BooleanProperty changedProperty() { return changed; }
    public StringProperty errorProperty() { return error; }
}
