/** Load scenarios (calls x users x senders, ramp, duration) and the runner that measures one against a server. */
package io.sfufleet.sfu.loadtest.scenario;
