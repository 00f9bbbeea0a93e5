/** The console's app image (jpackage, with its own runtime and the JavaFX jars) and its .deb where the tools exist. */
package io.sfufleet.installers.console;
