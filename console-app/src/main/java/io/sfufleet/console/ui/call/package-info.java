/** A call's screen: participants, their tracks and quality over time, and the moderation actions. */
package io.sfufleet.console.ui.call;
