/** Node configs per host: the typed desired config, diff against the host, parallel push with reload or restart, drift. */
package io.sfufleet.console.provision.config;
