/** Layered (SVC) VP9 and AV1 forwarding: per receiver, the frames of one decode target, chosen from the dependency descriptor. */
package io.sfufleet.sfu.svc;
