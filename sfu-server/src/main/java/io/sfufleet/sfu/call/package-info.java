/** Calls, participants and their tracks: who publishes what, who receives it, and the forwarding. */
package io.sfufleet.sfu.call;
