/** The local demo: a node in its own process, synthetic participants in a few calls, the console watching. */
package io.sfufleet.demo;
