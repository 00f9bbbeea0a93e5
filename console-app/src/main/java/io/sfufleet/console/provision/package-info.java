/** Provisioning hosts over SSH: the host list with pinned host keys, sessions, preflight checks. */
package io.sfufleet.console.provision;
