/** The fleet's figures over time: per-second samples in the console database, read back averaged for charts. */
package io.sfufleet.console.history;
