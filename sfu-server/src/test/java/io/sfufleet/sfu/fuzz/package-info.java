/** Jazzer fuzz tests of what clients send: RTP and RTCP packets through the real receive path, signalling JSON, SDP offers. */
package io.sfufleet.sfu.fuzz;
