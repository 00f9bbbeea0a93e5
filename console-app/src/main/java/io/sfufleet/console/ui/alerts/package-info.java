/** The alerts screen: what holds now, what was raised and cleared before, and the pop-up notices. */
package io.sfufleet.console.ui.alerts;
