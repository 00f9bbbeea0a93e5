/** SRTP and SRTCP protection of media packets with the keys a DTLS-SRTP handshake exported. */
package io.sfufleet.sfu.srtp;
