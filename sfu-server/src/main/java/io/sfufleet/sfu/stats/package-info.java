/** What the node measures of itself: process CPU, memory, descriptors, and once-a-second snapshots. */
package io.sfufleet.sfu.stats;
