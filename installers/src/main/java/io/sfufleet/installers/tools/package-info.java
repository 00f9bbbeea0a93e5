/** The JDK's own tools (jdeps, jlink, jpackage) run in-process, and the deterministic tar.gz writer. */
package io.sfufleet.installers.tools;
