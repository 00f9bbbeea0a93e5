/** The client-facing HTTP listener: the built-in browser client and the signalling WebSocket. */
package io.sfufleet.sfu.http;
