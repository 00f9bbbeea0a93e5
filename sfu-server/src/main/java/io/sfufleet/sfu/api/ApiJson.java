package io.sfufleet.sfu.api;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.util.stream.Collectors;

/**
 * JSON of the admin API: one configured, thread-safe mapper, and request bodies read into the
 * contract's records with errors that name the field at fault.
 */
final class ApiJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .disable(JsonParser.Feature.AUTO_CLOSE_SOURCE)
            .build();

    private ApiJson() {
    }

    static void write(OutputStream out, Object value) throws IOException {
        MAPPER.writeValue(out, value);
    }

    static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /**
     * Reads a request body; an empty one reads as {@code {}}. Anything wrong becomes 400 with the
     * field at fault: Jackson's path for a wrong type, the first word of the record's own check
     * (the contract's records start each message with the field name).
     */
    static <T> T read(byte[] body, Class<T> type) {
        byte[] json = isBlank(body) ? new byte[] {'{', '}'} : body;
        try {
            T value = MAPPER.readValue(json, type);
            if (value == null) {
                throw ApiException.badRequest(null, "the body must be a JSON object, not null");
            }
            return value;
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            String message = cause.getMessage() == null ? e.getOriginalMessage() : cause.getMessage();
            return fail(firstWord(message), message);
        } catch (JsonMappingException e) {
            String path = path(e);
            String what = e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException && path != null
                    ? path + " has the wrong type" : "the body does not match " + type.getSimpleName();
            return fail(path, what + ": " + e.getOriginalMessage());
        } catch (JacksonException e) {
            var at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            return fail(null, "the body is not valid JSON" + where + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            return fail(null, "the body could not be read: " + e.getMessage());
        }
    }

    private static <T> T fail(String field, String message) {
        throw ApiException.badRequest(field, message);
    }

    /** Jackson's path as dotted field names ({@code a.b[0].c}); null at the top level. */
    private static String path(JsonMappingException e) {
        if (e.getPath().isEmpty()) {
            return null;
        }
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining()).replaceFirst("^\\.", "");
    }

    private static String firstWord(String message) {
        if (message == null || message.isBlank()) {
            return null;
        }
        int space = message.indexOf(' ');
        return space < 0 ? message : message.substring(0, space);
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }
}
