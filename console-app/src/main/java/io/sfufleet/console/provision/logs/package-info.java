/** A node's log read over SSH: the last lines, and new ones as they come. */
package io.sfufleet.console.provision.logs;
