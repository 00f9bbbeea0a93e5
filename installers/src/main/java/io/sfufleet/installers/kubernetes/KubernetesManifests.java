package io.sfufleet.installers.kubernetes;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

/**
 * Renders src/main/kubernetes: {@code @VERSION@} becomes the version and {@code @SFU_TOML@} the
 * server's own commented default configuration (read from its jar, so the ConfigMap is never a
 * second copy that drifts), indented into the ConfigMap's literal block.
 */
public final class KubernetesManifests {
    private KubernetesManifests() {
    }

    public static String render(String template, String sfuToml, String version) {
        if (!template.contains("@SFU_TOML@")) {
            throw new IllegalArgumentException("the template has no @SFU_TOML@");
        }
        String indented = sfuToml.lines().map(l -> l.isEmpty() ? "" : "    " + l).collect(Collectors.joining("\n"));
        return template.replace("@SFU_TOML@", indented).replace("@VERSION@", version);
    }

    /** {@code KubernetesManifests TEMPLATE_DIR SERVER_JAR VERSION OUTPUT_DIR}, as the installers pom runs it. */
    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: KubernetesManifests TEMPLATE_DIR SERVER_JAR VERSION OUTPUT_DIR");
        }
        Path templates = Path.of(args[0]);
        String toml;
        try (JarFile jar = new JarFile(args[1]); InputStream in = jar.getInputStream(jar.getJarEntry("sfu.toml"))) {
            toml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Path out = Files.createDirectories(Path.of(args[3]));
        Files.writeString(out.resolve("sfu-server.yaml"),
                render(Files.readString(templates.resolve("sfu-server.yaml")), toml, args[2]));
        Files.writeString(out.resolve("Containerfile"),
                Files.readString(templates.resolve("Containerfile")).replace("@VERSION@", args[2]));
        System.out.println("kubernetes manifests: " + out.resolve("sfu-server.yaml"));
    }
}
