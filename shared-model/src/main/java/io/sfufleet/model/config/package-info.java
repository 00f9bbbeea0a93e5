/** The node configuration's rules shared by the server and the console: keys, parsing, validation, rendering. */
package io.sfufleet.model.config;
