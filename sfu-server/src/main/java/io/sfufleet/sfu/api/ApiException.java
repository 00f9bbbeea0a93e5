package io.sfufleet.sfu.api;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.sfufleet.model.api.ApiError;

/** A request the API refuses: becomes an {@link ApiError} body with the status. */
final class ApiException extends RuntimeException {
    private final HttpResponseStatus status;
    private final String error;
    private final String field;

    ApiException(HttpResponseStatus status, String error, String message, String field) {
        super(message, null, false, false);
        this.status = status;
        this.error = error;
        this.field = field;
    }

    static ApiException badRequest(String field, String message) {
        return new ApiException(HttpResponseStatus.BAD_REQUEST, ApiError.BAD_REQUEST, message, field);
    }

    static ApiException notFound(String field, String message) {
        return new ApiException(HttpResponseStatus.NOT_FOUND, ApiError.NOT_FOUND, message, field);
    }

    static ApiException conflict(String message) {
        return new ApiException(HttpResponseStatus.CONFLICT, ApiError.CONFLICT, message, null);
    }

    static ApiException unavailable(String message) {
        return new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, ApiError.UNAVAILABLE, message, null);
    }

    HttpResponseStatus status() {
        return status;
    }

    ApiError toError() {
        return new ApiError(status.code(), error, getMessage(), field);
    }
}
