/** The {@code sfu-console} command line: picocli commands over the node client, inventory and audit services. */
package io.sfufleet.console.cli;
