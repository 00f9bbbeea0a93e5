/** SDP (RFC 8866) as WebRTC uses it: parsing offers and answers, writing the node's side. */
package io.sfufleet.sfu.sdp;
