package io.sfufleet.console.ui;

import io.sfufleet.console.fleet.Inventory;
import io.sfufleet.console.node.NodeClient;
import javafx.event.ActionEvent;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.stage.Window;

/** Add or edit a node: name, admin API address, token. Checks the form before it closes. */
public final class NodeDialog extends Dialog<NodeDialog.Form> {
    /** What was typed; an empty token when editing means "keep the stored one". */
    public record Form(String name, String url, String token) {
    }

    public NodeDialog(Window owner, String existingName, String existingUrl) {
        initOwner(owner);
        boolean editing = existingName != null;
        setTitle(editing ? "Edit " + existingName : "Add a node");
        setHeaderText(editing ? "Change the admin API address or token of " + existingName
                : "A node's admin API address and its API token (api.token in its sfu.toml)");
        TextField name = new TextField(editing ? existingName : "");
        name.setId("node-name");
        name.setDisable(editing);
        name.setPromptText("e.g. sfu-berlin-1");
        TextField url = new TextField(editing ? existingUrl : "http://");
        url.setId("node-url");
        url.setPromptText("http://10.0.0.5:8045");
        url.setPrefColumnCount(28);
        PasswordField token = new PasswordField();
        token.setId("node-token");
        token.setPromptText(editing ? "leave empty to keep the stored token" : "the node's API token");
        Label error = new Label();
        error.setId("node-dialog-error");
        error.getStyleClass().add("form-error");
        error.setWrapText(true);
        GridPane g = new GridPane();
        g.setHgap(8);
        g.setVgap(8);
        g.setPadding(new Insets(10));
        g.addRow(0, new Label("Name"), name);
        g.addRow(1, new Label("API address"), url);
        g.addRow(2, new Label("API token"), token);
        g.add(error, 0, 3, 2, 1);
        getDialogPane().setContent(g);
        getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL);
        Button ok = (Button) getDialogPane().lookupButton(ButtonType.OK);
        ok.setId("node-dialog-ok");
        ok.addEventFilter(ActionEvent.ACTION, e -> {
            String problem = check(name.getText(), url.getText(), token.getText(), editing);
            if (problem != null) {
                error.setText(problem);
                e.consume();
            }
        });
        setResultConverter(b -> b == ButtonType.OK ? new Form(name.getText().strip(), url.getText().strip(),
                token.getText()) : null);
    }

    static String check(String name, String url, String token, boolean editing) {
        if (!editing && (name == null || !Inventory.NAME.matcher(name.strip()).matches())) {
            return "Name: 1 to 64 characters of A-Z a-z 0-9 . _ -, starting with a letter or digit.";
        }
        try {
            NodeClient.parseBaseUrl(url == null ? "" : url.strip());
        } catch (IllegalArgumentException e) {
            return "API address: " + e.getMessage();
        }
        if (!editing && (token == null || token.isEmpty())) {
            return "API token: the node's admin API needs it (api.token in its configuration).";
        }
        return null;
    }
}
