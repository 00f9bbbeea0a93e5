/** The client side of the signalling protocol over the JDK's WebSocket client. */
package io.sfufleet.sfu.loadtest.signal;
