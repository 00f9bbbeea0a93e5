package io.sfufleet.sfu.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sfufleet.model.api.DrainRequest;
import io.sfufleet.model.api.KickRequest;
import io.sfufleet.model.api.MuteKind;
import io.sfufleet.model.api.MuteRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ApiJsonTest {
    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String fieldOf(String body, Class<?> type) {
        try {
            ApiJson.read(json(body), type);
        } catch (ApiException e) {
            assertThat(e.status().code()).isEqualTo(400);
            return e.toError().field();
        }
        throw new AssertionError("no error for " + body);
    }

    @Test
    void anEmptyBodyReadsAsAnEmptyObject() {
        assertThat(ApiJson.read(new byte[0], KickRequest.class).reason()).isNull();
        assertThat(ApiJson.read(json(" \r\n"), MuteRequest.class).kind()).isEqualTo(MuteKind.all);
    }

    @Test
    void unknownFieldsAndEnumValuesAreTolerated() {
        assertThat(ApiJson.read(json("{\"reason\": \"x\", \"future\": 1}"), KickRequest.class).reason()).isEqualTo("x");
        assertThat(ApiJson.read(json("{\"kind\": \"loud\"}"), MuteRequest.class).kind()).isEqualTo(MuteKind.unknown);
    }

    @Test
    void errorsNameTheField() {
        assertThat(fieldOf("{\"deadlineMillis\": \"soon\"}", DrainRequest.class)).isEqualTo("deadlineMillis");
        assertThat(fieldOf("{\"deadlineMillis\": -5}", DrainRequest.class)).isEqualTo("deadlineMillis");
        assertThat(fieldOf("{\"deadlineMillis\": 5, \"reason\": [1]}", DrainRequest.class)).isEqualTo("reason");
        assertThat(fieldOf("{\"reason\": {}}", KickRequest.class)).isEqualTo("reason");
        assertThat(fieldOf("{\"reason\": \"" + "r".repeat(257) + "\"}", KickRequest.class)).isEqualTo("reason");
    }

    @Test
    void brokenJsonSaysWhere() {
        assertThatThrownBy(() -> ApiJson.read(json("{\"reason\": \"x\""), KickRequest.class))
                .isInstanceOf(ApiException.class).hasMessageContaining("not valid JSON").hasMessageContaining("line 1");
        assertThatThrownBy(() -> ApiJson.read(json("{} {}"), KickRequest.class)).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> ApiJson.read(json("null"), KickRequest.class)).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> ApiJson.read(json("\"text\""), KickRequest.class)).isInstanceOf(ApiException.class);
    }
}
