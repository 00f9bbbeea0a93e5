/** A host's Config editor (typed keys, diff with the host, push with per-host progress) and the drift check. */
package io.sfufleet.console.ui.config;
