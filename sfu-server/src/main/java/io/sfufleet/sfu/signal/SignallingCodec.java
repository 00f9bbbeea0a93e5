package io.sfufleet.sfu.signal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sfufleet.model.signal.ClientMessage;
import io.sfufleet.model.signal.ErrorCode;
import io.sfufleet.model.signal.ServerMessage;

/**
 * JSON for the signalling protocol. Tolerant as the protocol doc promises: unknown fields and enum
 * values are ignored; an unknown message type is reported as such so the client gets an error
 * reply instead of a dropped connection.
 */
public final class SignallingCodec {
    private final ObjectMapper mapper = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE)
            .build();

    /** A message that could not be decoded, with the error code to answer it with. */
    public static final class DecodeException extends Exception {
        private final ErrorCode code;

        DecodeException(ErrorCode code, String message) {
            super(message);
            this.code = code;
        }

        public ErrorCode code() {
            return code;
        }
    }

    public ClientMessage decode(String json) throws DecodeException {
        try {
            ClientMessage m = mapper.readValue(json, ClientMessage.class);
            if (m == null) {
                throw new DecodeException(ErrorCode.BAD_MESSAGE, "expected a JSON object with a \"type\" field");
            }
            return m;
        } catch (InvalidTypeIdException e) {
            if (e.getTypeId() == null) {
                throw new DecodeException(ErrorCode.BAD_MESSAGE, "missing \"type\" field");
            }
            throw new DecodeException(ErrorCode.UNKNOWN_MESSAGE_TYPE, "unknown message type \"" + e.getTypeId() + "\"");
        } catch (JsonProcessingException e) {
            throw new DecodeException(ErrorCode.BAD_MESSAGE, describe(e));
        } catch (RuntimeException e) {
            // Jackson can still throw unchecked on pathological input; it is still just a bad message.
            throw new DecodeException(ErrorCode.BAD_MESSAGE, "unreadable message: " + e.getClass().getSimpleName());
        }
    }

    private static String describe(JsonProcessingException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof IllegalArgumentException) {
            return "invalid message: " + root.getMessage();
        }
        String msg = e.getOriginalMessage();
        return "invalid message: " + (msg == null ? e.getClass().getSimpleName() : msg.lines().findFirst().orElse(msg));
    }

    public String encode(ServerMessage message) {
        try {
            return mapper.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + message.getClass().getSimpleName(), e);
        }
    }

    /** For tests and clients written in Java: the other direction. */
    public String encodeClient(ClientMessage message) {
        try {
            return mapper.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + message.getClass().getSimpleName(), e);
        }
    }

    public ServerMessage decodeServer(String json) throws JsonProcessingException {
        return mapper.readValue(json, ServerMessage.class);
    }
}
