package io.sfufleet.console.ui;

import io.sfufleet.console.provision.Check;
import io.sfufleet.console.provision.Verdict;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ObservableList;
import javafx.scene.control.Control;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.paint.Color;
import javafx.scene.shape.Circle;
import javafx.scene.text.Text;

/** The preflight checklist: one line per check with a coloured verdict, what was found and what to do. */
public final class ChecklistTable extends TableView<Check> {
    public ChecklistTable(ObservableList<Check> checks) {
        super(checks);
        setId("preflight-table");
        setPlaceholder(new Label("No checks yet: the preflight runs over SSH and takes a few seconds."));
        setColumnResizePolicy(CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        TableColumn<Check, Verdict> verdict = new TableColumn<>("Verdict");
        verdict.setPrefWidth(80);
        verdict.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().verdict()));
        verdict.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(Verdict v, boolean empty) {
                super.updateItem(v, empty);
                if (empty || v == null) {
                    setText(null);
                    setGraphic(null);
                    return;
                }
                setText(v.name());
                setGraphic(new Circle(6, colour(v)));
                getStyleClass().removeAll("verdict-ok", "verdict-warn", "verdict-fail");
                getStyleClass().add("verdict-" + v.name().toLowerCase(java.util.Locale.ROOT));
            }
        });
        getColumns().add(verdict);
        getColumns().add(text("Check", 210, Check::name));
        getColumns().add(text("Found", 290, Check::found));
        getColumns().add(text("What to do", 330, Check::todo));
    }

    /** Green, amber, red: the same meaning as the fleet table's row colours. */
    public static Color colour(Verdict v) {
        return switch (v) {
            case OK -> Color.web("#2e7d32");
            case WARN -> Color.web("#e0a000");
            case FAIL -> Color.web("#c62828");
        };
    }

    private static TableColumn<Check, String> text(String title, double width, java.util.function.Function<Check, String> f) {
        TableColumn<Check, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(d -> new ReadOnlyStringWrapper(f.apply(d.getValue())));
        // wrapped, not cut: what was found and what to do are the point of the checklist
        c.setCellFactory(col -> new TableCell<>() {
            private final Text text = new Text();

            {
                text.wrappingWidthProperty().bind(col.widthProperty().subtract(12));
                text.getStyleClass().add("checklist-text");
                setPrefHeight(Control.USE_COMPUTED_SIZE);
            }

            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                text.setText(empty || item == null ? "" : item);
                setGraphic(empty ? null : text);
            }
        });
        return c;
    }
}
