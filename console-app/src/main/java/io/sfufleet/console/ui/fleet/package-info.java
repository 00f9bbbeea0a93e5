/** The fleet screen: every node in one live table with totals, and the inventory commands. */
package io.sfufleet.console.ui.fleet;
