/** The add-host wizard: connection, host key (TOFU), preflight checklist, install from the bundle, done. */
package io.sfufleet.console.ui.provision;
