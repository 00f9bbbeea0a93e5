/** The DTLS-SRTP client role on BouncyCastle, as a browser plays it against the node. */
package io.sfufleet.sfu.loadtest.dtls;
