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

    /**
     * Runs the tool as its own process (the bin/ launcher of this JDK) and returns what it printed.
     * jlink must run so: its generate-jli-classes step writes java.lang.invoke holder classes that
     * depend on the method handles the calling JVM has already spun, so jlink inside a busy JVM
     * (a test run) made a different lib/modules than jlink inside Maven. A fresh JVM is the same
     * every time.
     */
    public static String runProcess(String tool, List<String> args) {
        return runProcess(tool, args, java.util.Map.of());
    }

    /** As {@link #runProcess(String, List)}, with extra environment variables for the tool and what it runs. */
    public static String runProcess(String tool, List<String> args, java.util.Map<String, String> env) {
        java.nio.file.Path exe = java.nio.file.Path.of(System.getProperty("java.home"), "bin", tool);
        List<String> command = new java.util.ArrayList<>(List.of(exe.toString()));
        command.addAll(args);
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().putAll(env);
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            int rc = p.waitFor();
            if (rc != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed with exit code " + rc + ":\n" + out);
            }
            return out;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("could not run " + exe, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + tool + " ran", e);
        }
    }

    /** Runs the tool in this JVM and returns what it printed; a non-zero exit is an exception with its output. */
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
