package io.sfufleet.console.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvExportTest {
    @TempDir
    Path dir;

    @Test
    void quotesWhatNeedsQuotingAndWritesEmptyForMissingCells() throws Exception {
        Path f = dir.resolve("t.csv");
        CsvExport.write(f, List.of("node", "state", "calls"), List.of(
                List.of("eu-1", "UP", "3"),
                java.util.Arrays.asList("eu,2", "UNREACHABLE: \"refused\"\nretrying", null)));
        assertThat(Files.readString(f)).isEqualTo("node,state,calls\neu-1,UP,3\n"
                + "\"eu,2\",\"UNREACHABLE: \"\"refused\"\"\nretrying\",\n");
    }

    @Test
    void aRaggedRowIsRefusedAndNothingIsWritten() {
        Path f = dir.resolve("t.csv");
        assertThatThrownBy(() -> CsvExport.write(f, List.of("a", "b"), List.of(List.of("1"))))
                .hasMessageContaining("1 cells, the header 2");
        assertThat(f).doesNotExist();
    }
}
