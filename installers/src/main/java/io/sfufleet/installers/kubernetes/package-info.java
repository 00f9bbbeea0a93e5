/** Kubernetes manifests for the SFU (DaemonSet on the host network), rendered with the server's own config. */
package io.sfufleet.installers.kubernetes;
