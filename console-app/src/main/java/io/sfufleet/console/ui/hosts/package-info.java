/** The Hosts screen: the provisioned hosts, their pinned keys and nodes, with add, preflight, install and remove. */
package io.sfufleet.console.ui.hosts;
