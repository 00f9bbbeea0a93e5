package io.sfufleet.installers.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.sfufleet.installers.TestBundles;
import io.sfufleet.sfu.config.ConfigLoader;
import io.sfufleet.sfu.config.SfuConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rendered manifests (target/kubernetes/sfu-server.yaml), parsed as YAML: a DaemonSet on the
 * host network with the probes, drain and grace period the node needs, its config from the
 * ConfigMap (which the node's own loader accepts) and its secrets from the Secret.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubernetesManifestsTest {
    private final Map<String, JsonNode> byKind = new LinkedHashMap<>();
    private JsonNode pod;
    private JsonNode container;

    @TempDir
    Path temp;

    @BeforeAll
    void parse() throws IOException {
        String yaml = Files.readString(Path.of(TestBundles.property("sfu.kubernetes")));
        try (var docs = new YAMLMapper().readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                assertThat(byKind.put(doc.path("kind").asText(), doc)).as("one %s", doc.path("kind")).isNull();
            }
        }
        assertThat(byKind.keySet()).containsExactly("Namespace", "ConfigMap", "Secret", "DaemonSet");
        pod = byKind.get("DaemonSet").path("spec").path("template").path("spec");
        List<JsonNode> containers = pod.path("containers").valueStream().toList();
        assertThat(containers).hasSize(1);
        container = containers.getFirst();
    }

    @Test
    void oneNodePerHostOnTheHostNetworkWithTheVersionedImage() {
        JsonNode ds = byKind.get("DaemonSet");
        assertThat(ds.path("apiVersion").asText()).isEqualTo("apps/v1");
        assertThat(pod.path("hostNetwork").asBoolean()).isTrue();
        assertThat(pod.path("dnsPolicy").asText()).isEqualTo("ClusterFirstWithHostNet");
        assertThat(container.path("image").asText()).isEqualTo("sfu-fleet/sfu-server:" + TestBundles.version());
        // The selector must match the pod template's labels, or the API server refuses the DaemonSet.
        JsonNode labels = ds.path("spec").path("template").path("metadata").path("labels");
        ds.path("spec").path("selector").path("matchLabels").properties().forEach(e ->
                assertThat(labels.path(e.getKey()).asText()).as(e.getKey()).isEqualTo(e.getValue().asText()));
        assertThat(ds.path("spec").path("selector").path("matchLabels").size()).isPositive();
        assertThat(byKind.values()).allMatch(d -> d.path("kind").asText().equals("Namespace")
                || d.path("metadata").path("namespace").asText().equals("sfu-fleet"));
    }

    @Test
    void separateLivenessAndReadinessProbesOnTheRealPaths() {
        JsonNode live = container.path("livenessProbe").path("httpGet");
        assertThat(live.path("path").asText()).isEqualTo(io.sfufleet.model.api.ApiPaths.LIVEZ);
        assertThat(live.path("port").asInt()).isEqualTo(8045);
        assertThat(live.path("host").asText()).isEqualTo("127.0.0.1");
        List<String> ready = container.path("readinessProbe").path("exec").path("command").valueStream()
                .map(JsonNode::asText).toList();
        assertThat(ready).containsExactly("/opt/sfu-server/bin/sfu-api", "GET", io.sfufleet.model.api.ApiPaths.READYZ);
    }

    @Test
    void preStopDrainsAndTheGracePeriodCoversTheDrain() {
        assertThat(container.path("lifecycle").path("preStop").path("exec").path("command").valueStream()
                .map(JsonNode::asText).toList()).containsExactly("/opt/sfu-server/bin/sfu-drain");
        int drain = container.path("env").valueStream()
                .filter(e -> e.path("name").asText().equals("SFU_DRAIN_GRACE_SECONDS"))
                .mapToInt(e -> Integer.parseInt(e.path("value").asText())).findFirst().orElseThrow();
        assertThat(pod.path("terminationGracePeriodSeconds").asInt()).as("drain %d s + 5 s margin + stop", drain)
                .isGreaterThan(drain + 5);
    }

    @Test
    void theCommandsTheManifestRunsAreInTheBundle() throws Exception {
        var list = TestBundles.run(java.time.Duration.ofMinutes(1), List.of("tar", "-tzf", TestBundles.bundle().toString()),
                Map.of(), null);
        String top = "sfu-server-" + TestBundles.version() + "/";
        for (String cmd : List.of(container.path("command").get(0).asText(),
                container.path("lifecycle").path("preStop").path("exec").path("command").get(0).asText(),
                container.path("readinessProbe").path("exec").path("command").get(0).asText())) {
            assertThat(list.output().lines()).contains(cmd.replace("/opt/sfu-server/", top));
        }
    }

    @Test
    void theConfigMapIsTheServersOwnConfigAndTheNodeLoadsItFromTheMountedPath() throws Exception {
        String toml = byKind.get("ConfigMap").path("data").path("sfu.toml").asText();
        try (JarFile jar = new JarFile(TestBundles.property("sfu.server.jar"))) {
            assertThat(toml).isEqualTo(new String(jar.getInputStream(jar.getJarEntry("sfu.toml")).readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8));
        }
        JsonNode mount = container.path("volumeMounts").valueStream()
                .filter(m -> m.path("name").asText().equals("config")).findFirst().orElseThrow();
        assertThat(pod.path("volumes").valueStream().filter(v -> v.path("name").asText().equals("config"))
                .findFirst().orElseThrow().path("configMap").path("name").asText()).isEqualTo("sfu-server-config");
        List<String> command = container.path("command").valueStream().map(JsonNode::asText).toList();
        assertThat(command).containsSubsequence("--config", mount.path("mountPath").asText() + "/sfu.toml");

        Path file = temp.resolve("sfu.toml");
        Files.writeString(file, toml);
        SfuConfig config = ConfigLoader.load(file, Map.of());
        assertThat(config).isNotNull();
    }

    @Test
    void secretsComeFromTheSecretAndItsPlaceholdersAreRefusedByTheNode() throws Exception {
        JsonNode secret = byKind.get("Secret");
        assertThat(container.path("envFrom").get(0).path("secretRef").path("name").asText())
                .isEqualTo(secret.path("metadata").path("name").asText());
        Map<String, String> env = new HashMap<>();
        secret.path("stringData").properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
        assertThat(env).containsOnlyKeys("SFU_API_TOKEN", "SFU_AUTH_JOIN_TOKEN_SECRET");
        Path file = temp.resolve("sfu.toml");
        Files.writeString(file, byKind.get("ConfigMap").path("data").path("sfu.toml").asText());
        // A forgotten secret must stop the node, not run it with a value everyone can read here.
        for (Map.Entry<String, String> e : env.entrySet()) {
            assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(e.getKey(), e.getValue())))
                    .as(e.getKey()).hasMessageContaining(e.getKey().equals("SFU_API_TOKEN") ? "api.token" : "auth.join_token_secret");
        }
    }
}
