package io.sfufleet.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The services know nothing of JavaFX and print nothing (until ArchUnit is on this machine's class path). */
class LayeringTest {
    private static final Path MAIN = Path.of("src/main/java/io/sfufleet/console");

    @Test
    void servicesDoNotImportJavaFxNorPrint() throws IOException {
        List<Path> sources;
        try (Stream<Path> s = Files.walk(MAIN)) {
            sources = s.filter(p -> p.toString().endsWith(".java")).toList();
        }
        assertThat(sources).isNotEmpty();
        for (Path p : sources) {
            String text = Files.readString(p);
            assertThat(text).as("%s", p).doesNotContain("import javafx").doesNotContain("printStackTrace");
            if (!p.getFileName().toString().equals("ConsoleCli.java")) {
                assertThat(text).as("%s", p).doesNotContain("System.out").doesNotContain("System.err");
            }
        }
    }
}
