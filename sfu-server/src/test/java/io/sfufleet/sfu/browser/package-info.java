/** End-to-end tests: real Chromium browsers running the node's built-in client against an in-process node. */
package io.sfufleet.sfu.browser;
