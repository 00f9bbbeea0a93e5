/** ICE-lite (RFC 8445 section 2.5): answering STUN Binding checks on the node's UDP port and demultiplexing what arrives there. */
package io.sfufleet.sfu.ice;
