/** Admin actions on nodes (mute, kick, end call, drain, undrain, reload), each one audited: shared by the GUI and the CLI. */
package io.sfufleet.console.actions;
