/** Alert rules over the fleet's live state, raised and cleared in the console database. */
package io.sfufleet.console.alerts;
