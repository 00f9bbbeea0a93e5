package io.sfufleet.sfu.loadtest.cli;

import io.sfufleet.sfu.loadtest.client.ClientRuntime;
import java.net.URI;
import java.net.http.HttpClient;

/** Janus as a target of the command line. */
final class JanusTargets {
    private JanusTargets() {
    }

    static LoadTool.Targets.One one(ClientRuntime runtime, HttpClient http, URI url, Long pid) {
        throw new IllegalArgumentException("Janus is not supported yet");
    }
}
