package io.sfufleet.console.ui;

import java.util.function.Function;
import javafx.beans.value.ObservableValue;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.Tooltip;

/**
 * The screens' read-only text columns: a cut-off value is readable in full from its tooltip, and a
 * cell may carry one style class chosen from its text (a refusal, a host not trusted, drift).
 */
public final class TextColumns {
    private TextColumns() {
    }

    /** A text column with a tooltip on every non-empty cell. */
    public static <S> TableColumn<S, String> of(String title, double width,
            Function<S, ObservableValue<String>> value) {
        return of(title, width, value, item -> null);
    }

    /**
     * A text column with a tooltip on every non-empty cell, and on those cells the style class
     * {@code style} gives for the text (null for none); the class is taken off again when the cell is reused.
     */
    public static <S> TableColumn<S, String> of(String title, double width,
            Function<S, ObservableValue<String>> value, Function<String, String> style) {
        TableColumn<S, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(d -> value.apply(d.getValue()));
        c.setCellFactory(col -> new TableCell<>() {
            private String styled;

            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                boolean blank = empty || item == null || item.isEmpty();
                setText(empty ? null : item);
                setTooltip(blank ? null : new Tooltip(item));
                if (styled != null) {
                    getStyleClass().remove(styled);
                    styled = null;
                }
                String s = blank ? null : style.apply(item);
                if (s != null) {
                    getStyleClass().add(s);
                    styled = s;
                }
            }
        });
        return c;
    }
}
