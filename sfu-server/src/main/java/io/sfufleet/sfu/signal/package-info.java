/** The WebSocket signalling endpoint: decoding client messages and handing them to the call logic. */
package io.sfufleet.sfu.signal;
