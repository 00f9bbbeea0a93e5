/** The support bundle: one zip of a node's config, versions, logs, checks, API state and host facts, secrets removed. */
package io.sfufleet.console.provision.support;
