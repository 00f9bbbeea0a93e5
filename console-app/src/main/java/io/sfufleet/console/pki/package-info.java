/** The console as the site's small CA: the CA, node certificates, pushing them to hosts, expiry alerts. */
package io.sfufleet.console.pki;
