/** The WebSocket signalling protocol between a client and a node: one record per message. */
package io.sfufleet.model.signal;
