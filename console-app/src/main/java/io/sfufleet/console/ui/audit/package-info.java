/** The audit screen: who did what to which node, when, and how it went. */
package io.sfufleet.console.ui.audit;
