/** The client of one node's admin API (HTTP, bearer token, shared-model records); no UI code. */
package io.sfufleet.console.node;
