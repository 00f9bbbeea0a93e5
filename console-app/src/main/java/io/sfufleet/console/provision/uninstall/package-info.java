/** Taking a node off a host: stop it, remove what the install put there, drop it from the fleet. */
package io.sfufleet.console.provision.uninstall;
