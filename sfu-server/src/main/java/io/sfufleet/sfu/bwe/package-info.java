/** Send-side bandwidth estimation per receiver from transport-wide CC feedback: delay trend and loss. */
package io.sfufleet.sfu.bwe;
