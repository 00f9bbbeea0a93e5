package io.sfufleet.console.export;

import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** Writes a table (header and rows of cells) as RFC 4180 CSV through Jackson's CSV writer. */
public final class CsvExport {
    // quote only the cells that need it (commas, quotes, line breaks), as spreadsheets write them
    private static final CsvMapper MAPPER = CsvMapper.builder()
            .enable(com.fasterxml.jackson.dataformat.csv.CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING).build();

    private CsvExport() {
    }

    /** Writes to a temporary file beside {@code file} and moves it in place, so a failed export leaves no half file. */
    public static void write(Path file, List<String> header, List<List<String>> rows) throws IOException {
        for (List<String> r : rows) {
            if (r.size() != header.size()) {
                throw new IllegalArgumentException("a row has " + r.size() + " cells, the header " + header.size());
            }
        }
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".part");
        try {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                CsvSchema schema = CsvSchema.emptySchema();
                var writer = MAPPER.writer(schema).writeValues(w);
                writer.write(header);
                for (List<String> r : rows) {
                    writer.write(r.stream().map(c -> c == null ? "" : c).toList());
                }
                writer.close();
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
