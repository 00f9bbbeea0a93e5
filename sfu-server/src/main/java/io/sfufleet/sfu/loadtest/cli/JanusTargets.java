package io.sfufleet.sfu.loadtest.cli;

import io.sfufleet.sfu.loadtest.client.ClientRuntime;
import io.sfufleet.sfu.loadtest.janus.JanusParticipantFactory;
import io.sfufleet.sfu.loadtest.janus.JanusServer;
import io.sfufleet.sfu.loadtest.server.ProcessProbe;
import java.nio.file.Files;
import java.nio.file.Path;

/** Janus as a target of the command line: started by lt in a network namespace, measured through /proc. */
final class JanusTargets {
    private JanusTargets() {
    }

    static LoadTool.Targets.One start(int port, String cpus, int mediaThreads, int usersPerCall) throws Exception {
        Path dir = Files.createTempDirectory("lt-janus-");
        JanusServer janus = JanusServer.start(dir, port, "30000-40000", cpus);
        ClientRuntime runtime = null;
        try {
            // the clients reach Janus over the veth pair: their sockets bind to our end of it
            runtime = new ClientRuntime(mediaThreads, janus.clientAddress());
            ClientRuntime r = runtime;
            ProcessProbe probe = new ProcessProbe(janus.pid(), "Janus " + version() + " VideoRoom");
            return new LoadTool.Targets.One("janus", new JanusParticipantFactory(runtime, janus.webSocketUri(),
                    Math.max(usersPerCall, 3)), probe, () -> {
                        r.close();
                        janus.close();
                    });
        } catch (Exception e) {
            if (runtime != null) {
                runtime.close();
            }
            janus.close();
            throw e;
        }
    }

    private static String version() {
        try {
            Process p = new ProcessBuilder(JanusServer.BINARY, "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            p.waitFor();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\((\\d+\\.\\d+\\.\\d+)\\)").matcher(out);
            return m.find() ? m.group(1) : "1.x";
        } catch (java.io.IOException e) {
            return "1.x";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "1.x";
        }
    }
}
