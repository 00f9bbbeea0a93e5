/** Join tokens: HS256 JWTs that let a client join a call with given permissions; minting and verification, sans-IO. */
package io.sfufleet.sfu.auth;
