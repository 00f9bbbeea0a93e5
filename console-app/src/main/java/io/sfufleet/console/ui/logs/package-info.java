/** The logs pane: a node's log on its host, its last lines then new ones live, filtered and pausable. */
package io.sfufleet.console.ui.logs;
