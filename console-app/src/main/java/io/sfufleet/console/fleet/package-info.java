/** The fleet inventory: the nodes this console manages, their API URLs and their (encrypted) tokens. */
package io.sfufleet.console.fleet;
