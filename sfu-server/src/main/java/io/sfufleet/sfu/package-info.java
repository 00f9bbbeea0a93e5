/** The SFU node: start-up, wiring and lifecycle. The media engine lives in the sub-packages. */
package io.sfufleet.sfu;
