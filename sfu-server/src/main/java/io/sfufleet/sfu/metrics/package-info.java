/** Prometheus metrics of a node: one registry per node, fed by the engine's counters and call events. */
package io.sfufleet.sfu.metrics;
