/** Logging in to hosts with the keys of a running ssh-agent, which sshj cannot do on its own. */
package io.sfufleet.console.provision.agent;
