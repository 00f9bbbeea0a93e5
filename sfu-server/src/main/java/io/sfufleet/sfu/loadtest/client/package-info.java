/** The synthetic participant: one client that joins a call, publishes synthetic media and measures what it receives. */
package io.sfufleet.sfu.loadtest.client;
