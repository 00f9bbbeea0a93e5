package io.sfufleet.model.api;

import static io.sfufleet.model.api.ApiSamples.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/api.md and the records must not drift apart. */
class ApiDocsTest {
    /** {@code <!-- example: Name -->} followed by a json fence: Name is a record, or NodeEvent. */
    private static final Pattern EXAMPLE = Pattern.compile("<!-- example: (\\w+) -->\\s*```json\\n(.*?)\\n```",
            Pattern.DOTALL);

    private static String doc() throws Exception {
        return Files.readString(Path.of("docs/api.md"));
    }

    private record Example(String name, String json) {
    }

    private static List<Example> examples() throws Exception {
        List<Example> out = new ArrayList<>();
        Matcher m = EXAMPLE.matcher(doc());
        while (m.find()) {
            out.add(new Example(m.group(1), m.group(2)));
        }
        return out;
    }

    /**
     * Each example reads as its record and writes back to the same JSON: no misspelt or missing
     * field (the node writes every field, nulls included), no integer where a double goes.
     */
    @Test
    void everyExampleIsExactlyWhatTheRecordsWrite() throws Exception {
        List<Example> examples = examples();
        assertThat(examples).hasSizeGreaterThan(20);
        for (Example e : examples) {
            Class<?> type = Class.forName("io.sfufleet.model.api." + e.name());
            Object value = JSON.readValue(e.json(), type);
            JsonNode written = JSON.readTree(JSON.writerFor(type).writeValueAsString(value));
            assertThat(written).as(e.name() + ": " + e.json()).isEqualTo(JSON.readTree(e.json()));
        }
    }

    @Test
    void everyRecordAndEveryEventTypeHasAnExample() throws Exception {
        Set<Class<?>> shown = new HashSet<>();
        for (Example e : examples()) {
            collect(JSON.readValue(e.json(), Class.forName("io.sfufleet.model.api." + e.name())), shown);
        }
        assertThat(shown).containsAll(ApiSamples.recordsOfThePackage());
    }

    private static void collect(Object value, Set<Class<?>> shown) throws Exception {
        if (value instanceof List<?> list) {
            for (Object o : list) {
                collect(o, shown);
            }
        } else if (value != null && value.getClass().isRecord()) {
            shown.add(value.getClass());
            for (RecordComponent rc : value.getClass().getRecordComponents()) {
                collect(rc.getAccessor().invoke(value), shown);
            }
        }
    }

    @Test
    void everyRouteAndErrorCodeIsDocumented() throws Exception {
        String doc = doc();
        for (Class<?> holder : List.of(ApiPaths.class, ApiError.class)) {
            for (Field f : holder.getFields()) {
                if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                    String value = (String) f.get(null);
                    assertThat(doc).as(holder.getSimpleName() + "." + f.getName()).contains("`" + value + "`");
                }
            }
        }
        assertThat(doc).contains("`" + ApiPaths.EVENTS_TOO_SLOW_CLOSE_REASON + "`")
                .contains("**" + ApiPaths.EVENTS_TOO_SLOW_CLOSE_CODE + "**")
                .contains("`" + ApiPaths.DEFAULT_PORT + "`")
                .contains(String.valueOf(ApiPaths.MAX_REQUEST_BYTES))
                .contains("`api.metrics_open = true`");
    }
}
