/** A node's screen: live and historical charts of CPU, bandwidth and packets, and its calls. */
package io.sfufleet.console.ui.node;
