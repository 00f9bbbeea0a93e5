/** RTCP (RFC 3550, 4585, 5104): walking compound packets and writing the node's own feedback. */
package io.sfufleet.sfu.rtcp;
