package io.sfufleet.console;

import io.sfufleet.console.node.ApiJson;
import io.sfufleet.console.node.NodeClient;
import io.sfufleet.model.api.NodeState;
import io.sfufleet.sfu.SfuNode;
import io.sfufleet.sfu.TestNodes;
import okhttp3.OkHttpClient;

/** Starts a test node and waits until its API reports it running (its first snapshot says starting). */
final class RunningNode {
    private RunningNode() {
    }

    static SfuNode start(OkHttpClient http) throws Exception {
        SfuNode node = TestNodes.start();
        NodeClient c = new NodeClient(http, NodeClient.parseBaseUrl("http://127.0.0.1:" + node.adminPort()),
                TestNodes.API_TOKEN, ApiJson.newMapper());
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (c.nodeInfo().state() != NodeState.running) {
            if (System.nanoTime() > deadline) {
                node.close();
                throw new AssertionError("the test node did not report running within 10 s");
            }
            Thread.sleep(50);
        }
        return node;
    }
}
