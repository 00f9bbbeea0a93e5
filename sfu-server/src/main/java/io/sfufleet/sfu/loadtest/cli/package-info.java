/** The {@code lt} command line: run a scenario or find the capacity, against a node or Janus. */
package io.sfufleet.sfu.loadtest.cli;
