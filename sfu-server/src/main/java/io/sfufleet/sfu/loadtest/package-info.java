/** The load tool: synthetic WebRTC participants, load scenarios against a node, and their reports. */
package io.sfufleet.sfu.loadtest;
