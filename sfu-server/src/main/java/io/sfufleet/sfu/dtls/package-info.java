/** The server side of DTLS 1.2 for DTLS-SRTP (RFC 5764): the node's certificate, fingerprints and per-peer handshake sessions. */
package io.sfufleet.sfu.dtls;
