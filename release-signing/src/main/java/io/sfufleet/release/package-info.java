/** Release signing: Ed25519 site keys in PEM, and the signed manifest of SHA-256 sums a bundle carries. */
package io.sfufleet.release;
