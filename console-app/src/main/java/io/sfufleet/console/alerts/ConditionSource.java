package io.sfufleet.console.alerts;

import java.util.List;

/**
 * Conditions that hold now, from a source other than the fleet's snapshots; evaluated with the
 * rules on the alert timer, so it must answer quickly (cache what is slow to read).
 */
@FunctionalInterface
public interface ConditionSource {
    List<Condition> conditions(long nowMillis);
}
