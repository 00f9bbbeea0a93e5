/** Load run reports: Markdown summary, per-second CSV and PNG plots. */
package io.sfufleet.sfu.loadtest.report;
