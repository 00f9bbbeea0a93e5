/** The rolling-upgrade window: the plan as a table, then each node's progress live (MVVM). */
package io.sfufleet.console.ui.rollout;
