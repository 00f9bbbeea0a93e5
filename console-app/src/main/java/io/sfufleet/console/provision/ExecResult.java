package io.sfufleet.console.provision;

/** What a command on a host did. */
public record ExecResult(String command, int exitStatus, String stdout, String stderr) {
    public boolean ok() {
        return exitStatus == 0;
    }

    /** The output, or a failure naming the command, its status and its error output. */
    public String require() {
        if (!ok()) {
            throw new ProvisionException("`" + command + "` failed with status " + exitStatus
                    + (stderr.isBlank() ? "" : ": " + stderr.strip()));
        }
        return stdout;
    }
}
