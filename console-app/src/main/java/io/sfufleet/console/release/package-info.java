/** The site's release signing key and the check of an offline bundle before anything of it is used. */
package io.sfufleet.console.release;
