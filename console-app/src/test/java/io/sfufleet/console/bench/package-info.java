/** The console's fleet-scale benchmark: a simulated fleet (never a stand-in for a real node) and its runner. */
package io.sfufleet.console.bench;
