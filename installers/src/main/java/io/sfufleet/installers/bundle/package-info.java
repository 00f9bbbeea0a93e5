/** The SFU's offline bundle: jlink runtime, server jars, launcher, systemd and sysctl files, install.sh, signed manifest. */
package io.sfufleet.installers.bundle;
