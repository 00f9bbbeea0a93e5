/** Janus 1.1 as a peer under the same load: starting it on loopback, its WebSocket API and VideoRoom, and the adapter for the synthetic clients. */
package io.sfufleet.sfu.loadtest.janus;
