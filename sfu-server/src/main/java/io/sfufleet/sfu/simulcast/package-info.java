/** Simulcast forwarding: one layer per receiver on one outgoing SSRC, switched at keyframes, chosen by bandwidth and viewport. */
package io.sfufleet.sfu.simulcast;
