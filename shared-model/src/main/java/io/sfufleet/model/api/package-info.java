/** The node's admin API (HTTP on its own port, plus the event stream): one record per request, response and event. */
package io.sfufleet.model.api;
