/** Synthetic media: RTP senders at realistic sizes and rates with a send timestamp, and receiver statistics. */
package io.sfufleet.sfu.loadtest.media;
