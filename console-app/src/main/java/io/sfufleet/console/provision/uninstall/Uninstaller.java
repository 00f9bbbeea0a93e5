package io.sfufleet.console.provision.uninstall;

import io.sfufleet.console.audit.AuditLog;
import io.sfufleet.console.fleet.Inventory;
import io.sfufleet.console.provision.ExecResult;
import io.sfufleet.console.provision.HostSession;
import io.sfufleet.console.provision.ProvisionException;
import io.sfufleet.console.provision.Shell;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Uninstalls the node of a host: stops it (systemd: stop, disable, remove the unit and the sysctl
 * drop-in; supervised: the process of the PID file, only if it runs from this prefix), removes the
 * prefix's releases, links, config and state (the logs too unless kept), and removes the node from
 * the inventory. The host itself stays in the inventory, ready for another install. Running it again
 * finds nothing and says so.
 */
public final class Uninstaller {
    static final String UNIT = "/etc/systemd/system/sfu-server.service";
    static final String SYSCTL = "/etc/sysctl.d/90-sfu-server.conf";
    /** What an install creates under the prefix, apart from the logs. */
    static final List<String> INSTALLED = List.of("releases", "current", "previous", "etc", "run", "incoming");
    private static final Duration T = Duration.ofMinutes(2);
    /**
     * Stops and disables the unit, then removes it and the sysctl drop-in. No systemd on this build
     * machine: the script is checked by {@code UninstallerScriptTest} with {@code sh -n} and by its
     * commands, the supervised path against real nodes.
     */
    static final String SYSTEMD_REMOVAL = String.join("\n",
            "if [ -d /run/systemd/system ]; then",
            "  systemctl stop sfu-server.service || exit 1",
            "  systemctl disable sfu-server.service",
            "fi",
            "rm -f " + UNIT + " " + SYSCTL,
            "if [ -d /run/systemd/system ]; then systemctl daemon-reload; fi", "");

    private final Inventory inventory;
    private final AuditLog audit;

    public Uninstaller(Inventory inventory, AuditLog audit) {
        this.inventory = inventory;
        this.audit = audit;
    }

    /** What was done; {@code removed} lists what was found and removed, empty when nothing was installed. */
    public record Result(boolean nothingInstalled, boolean stopped, boolean systemd, List<String> removed,
            boolean keptLogs, boolean removedFromInventory) {
    }

    public Result uninstall(HostSession s, boolean keepLogs) {
        String name = s.host().name();
        try {
            Result r = run(s, keepLogs);
            audit.record(name, "provision.uninstall", s.host().prefix(), r.nothingInstalled() ? "ok: nothing installed"
                    : "ok: " + (r.stopped() ? "stopped, " : "") + "removed " + String.join(", ", r.removed())
                            + (r.keptLogs() ? " (logs kept)" : ""));
            return r;
        } catch (RuntimeException e) {
            audit.record(name, "provision.uninstall", s.host().prefix(), "error: " + e.getMessage());
            throw e;
        }
    }

    private Result run(HostSession s, boolean keepLogs) {
        String p = s.host().prefix();
        String q = Shell.quote(p);
        // the system files are this prefix's only when the installed unit runs from it: a host may
        // hold other prefixes (tests, a staging copy), whose node must not lose its unit
        boolean systemd = s.privileged("test -f " + UNIT + " && grep -qF " + Shell.quote(p + "/") + " " + UNIT, T).ok();
        List<String> present = new ArrayList<>();
        for (String part : INSTALLED) {
            if (s.privileged("test -e " + q + "/" + part + " || test -L " + q + "/" + part, T).ok()) {
                present.add(part);
            }
        }
        boolean logs = !keepLogs && s.privileged("test -e " + q + "/log", T).ok();
        boolean inInventory = inventory.find(s.host().name()).isPresent();
        if (!systemd && present.isEmpty() && !logs && !inInventory) {
            return new Result(true, false, false, List.of(), keepLogs, false);
        }

        boolean stopped;
        List<String> removed = new ArrayList<>();
        if (systemd) {
            ExecResult r = s.privileged(SYSTEMD_REMOVAL, T);
            if (!r.ok()) {
                throw new ProvisionException("could not stop sfu-server.service on " + s.host().name() + ": "
                        + (r.stderr() + r.stdout()).strip() + ". Nothing was removed; stop it by hand "
                        + "(systemctl stop sfu-server) and run uninstall again.");
            }
            stopped = true;
            removed.add(UNIT);
            removed.add(SYSCTL);
        } else {
            stopped = stopSupervised(s);
        }

        StringBuilder rm = new StringBuilder("cd " + q + " && rm -rf --");
        for (String part : present) {
            rm.append(' ').append(Shell.quote(part));
        }
        if (logs) {
            rm.append(" log");
            present.add("log");
        }
        ExecResult r = s.privileged(rm + " && (rmdir " + q + " 2>/dev/null || true)", T);
        if (!r.ok()) {
            throw new ProvisionException("the node on " + s.host().name() + " is stopped, but removing " + p + "/{"
                    + String.join(",", present) + "} failed: " + (r.stderr() + r.stdout()).strip()
                    + ". Run uninstall again, or remove them by hand.");
        }
        for (String part : present) {
            removed.add(p + "/" + part);
        }
        boolean dropped = inInventory && inventory.remove(s.host().name());
        return new Result(false, stopped, systemd, removed, keepLogs, dropped);
    }

    /**
     * Stops the process of the PID file when it is a node of this prefix (its command line names the
     * prefix); a PID the system reused for something else is left alone. True if one was stopped.
     */
    private static boolean stopSupervised(HostSession s) {
        String q = Shell.quote(s.host().prefix());
        String script = String.join("\n",
                "pidfile=" + q + "/run/sfu-server.pid",
                "[ -s \"$pidfile\" ] || { echo none; exit 0; }",
                "pid=$(cat \"$pidfile\")",
                "case \"$pid\" in ''|*[!0-9]*) echo none; exit 0;; esac",
                "kill -0 \"$pid\" 2>/dev/null || { echo none; exit 0; }",
                "tr '\\000' ' ' < /proc/$pid/cmdline | grep -qF " + Shell.quote(s.host().prefix() + "/")
                        + " || { echo foreign; exit 0; }",
                "kill \"$pid\"",
                "i=0; while kill -0 \"$pid\" 2>/dev/null && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done",
                "if kill -0 \"$pid\" 2>/dev/null; then kill -9 \"$pid\"; sleep 0.5; fi",
                "kill -0 \"$pid\" 2>/dev/null && { echo alive; exit 1; }",
                "echo stopped", "");
        ExecResult r = s.privileged(script, T);
        if (!r.ok()) {
            throw new ProvisionException("the node on " + s.host().name() + " (PID file " + s.host().prefix()
                    + "/run/sfu-server.pid) did not stop: " + (r.stderr() + r.stdout()).strip()
                    + ". Nothing was removed.");
        }
        return r.stdout().strip().equals("stopped");
    }
}
