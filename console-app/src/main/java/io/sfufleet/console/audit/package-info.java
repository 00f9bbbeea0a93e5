/** The audit trail: who did what to which node, when, and how it ended. */
package io.sfufleet.console.audit;
