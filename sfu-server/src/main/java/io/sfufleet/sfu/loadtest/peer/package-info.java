/** One client peer connection: a UDP socket with ICE, DTLS and SRTP on it, and the client's SDP. */
package io.sfufleet.sfu.loadtest.peer;
