/** Live state of every node: one monitor per node on its event stream, latest snapshot, recent samples. */
package io.sfufleet.console.monitor;
