/** The controlling side of ICE against a lite server: Binding requests that nominate, and their responses checked. */
package io.sfufleet.sfu.loadtest.ice;
