/** One ICE-lite + DTLS + SRTP connection of a participant, and the UDP socket all of them share. */
package io.sfufleet.sfu.transport;
