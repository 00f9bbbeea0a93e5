/** The servers under test as the load tool sees them: how participants join them and how their CPU, memory and counters are read. */
package io.sfufleet.sfu.loadtest.server;
