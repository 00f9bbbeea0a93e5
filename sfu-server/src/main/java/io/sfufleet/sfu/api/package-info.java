/** The admin API: its own HTTP listener, routes, bearer-token access, the event stream and config reload. */
package io.sfufleet.sfu.api;
