package io.sfufleet.installers.tools;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.spi.ToolProvider;

/**
 * Runs a JDK tool (jdeps, jlink, jpackage) in this JVM through {@link ToolProvider}, so the build
 * uses the tools of the very JDK it runs on (the one the Enforcer pinned) and no PATH lookup.
 */
public final class JdkTool {
    private JdkTool() {
    }

    /** Runs the tool and returns what it printed; a non-zero exit is an exception with its output. */
    public static String run(String tool, List<String> args) {
        ToolProvider provider = ToolProvider.findFirst(tool).orElseThrow(() -> new IllegalStateException(
                tool + " is not in this JDK (" + System.getProperty("java.home") + "); build with Temurin 25"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc;
        try (PrintWriter o = new PrintWriter(out); PrintWriter e = new PrintWriter(err)) {
            rc = provider.run(o, e, args.toArray(String[]::new));
        }
        if (rc != 0) {
            throw new IllegalStateException(tool + " " + String.join(" ", args) + " failed with exit code " + rc + ":\n"
                    + out + err);
        }
        return out.toString();
    }
}
