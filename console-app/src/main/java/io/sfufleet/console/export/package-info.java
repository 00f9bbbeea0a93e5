/** Tables to CSV files (charts to PNG live in the UI, which owns the pixels). */
package io.sfufleet.console.export;
