/** RTP packets (RFC 3550) as views over pooled buffers: header accessors and the buffer pool. */
package io.sfufleet.sfu.rtp;
