package io.sfufleet.console.ui;

import io.sfufleet.console.export.CsvExport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.image.WritableImage;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import javax.imageio.ImageIO;

/** PNG of any node (a chart) and CSV of any table, as the user sees them (visible columns, current order and filter). */
public final class Exports {
    private Exports() {
    }

    public static void png(Node node, Path file) throws IOException {
        WritableImage image = node.snapshot(null, null);
        if (!ImageIO.write(SwingFXUtils.fromFXImage(image, null), "png", file.toFile())) {
            throw new IOException("no PNG writer in this runtime");
        }
    }

    public static <S> void csv(TableView<S> table, Path file) throws IOException {
        List<TableColumn<S, ?>> columns = new ArrayList<>();
        for (TableColumn<S, ?> c : table.getVisibleLeafColumns()) {
            // a drawn column (the sparkline) has no text to export
            boolean drawn = !table.getItems().isEmpty() && c.getCellObservableValue(table.getItems().getFirst()) != null
                    && c.getCellObservableValue(table.getItems().getFirst()).getValue() instanceof double[];
            if (c.getText() != null && !c.getText().isBlank() && !drawn) {
                columns.add(c);
            }
        }
        List<String> header = columns.stream().map(TableColumn::getText).toList();
        List<List<String>> rows = new ArrayList<>();
        for (S item : table.getItems()) {
            List<String> r = new ArrayList<>();
            for (TableColumn<S, ?> c : columns) {
                Object v = c.getCellObservableValue(item) == null ? null : c.getCellObservableValue(item).getValue();
                r.add(v == null ? "" : v.toString());
            }
            rows.add(r);
        }
        CsvExport.write(file, header, rows);
    }

    /** A button that asks where to save and writes {@code table} as CSV there, reporting a failure. */
    public static Button csvButton(TableView<?> table, String title, String suggested) {
        Button b = new Button("Export CSV…");
        b.setOnAction(e -> saveAs(table, title, suggested, "csv", f -> csv(table, f)));
        return b;
    }

    /** A button that asks where to save and writes what {@code node} shows as PNG there. */
    public static Button pngButton(String text, Node node, String title, String suggested) {
        Button b = new Button(text);
        b.setOnAction(e -> saveAs(node, title, suggested, "png", f -> png(node, f)));
        return b;
    }

    private interface Writer {
        void write(Path file) throws IOException;
    }

    private static void saveAs(Node owner, String title, String suggested, String extension, Writer writer) {
        Window w = owner.getScene().getWindow();
        Path f = choose(w, title, suggested, extension);
        if (f != null) {
            try {
                writer.write(f);
            } catch (IOException | RuntimeException ex) {
                Dialogs.error(w, "Export failed", Dialogs.message(ex));
            }
        }
    }

    /** Asks where to save; null when cancelled. */
    public static Path choose(Window owner, String title, String suggested, String extension) {
        FileChooser fc = new FileChooser();
        fc.setTitle(title);
        fc.setInitialFileName(suggested);
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter(extension.toUpperCase() + " files",
                "*." + extension));
        var f = fc.showSaveDialog(owner);
        return f == null ? null : f.toPath();
    }
}
