package io.sfufleet.console.audit;

/**
 * One action of the console.
 *
 * @param who     the OS user who ran it
 * @param node    inventory name of the node, null for actions on no node
 * @param action  e.g. {@code drain}, {@code kick}, {@code nodes.add}
 * @param target  what it acted on inside the node (call, participant), or its argument; may be null
 * @param result  {@code ok: ...} or {@code error: ...}
 */
public record AuditEntry(long id, long atMillis, String who, String node, String action, String target,
                         String result) {
}
