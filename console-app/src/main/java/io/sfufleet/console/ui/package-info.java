/** The JavaFX console: application, launcher and what the screens share (background work, the pulse, dialogs). */
package io.sfufleet.console.ui;
