/** The console's SQLite database file: where it lives, opening it, and its schema migrations. */
package io.sfufleet.console.store;
