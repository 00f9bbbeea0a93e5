/** Rolling upgrades: a checked plan, then one node at a time staged, drained, switched, verified, or rolled back. */
package io.sfufleet.console.provision.rollout;
