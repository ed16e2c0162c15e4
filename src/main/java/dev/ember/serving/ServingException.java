package dev.ember.serving;

/**
 * A request or management call that cannot be served, with the status it maps to. The constants are named
 * after gRPC status codes so the gRPC adapter maps them by name; each carries the fitting HTTP status
 * (Triton's mapping where it has one: research/serving.md §2).
 */
public class ServingException extends RuntimeException {
    public enum Status {
        INVALID_ARGUMENT(400),
        UNAUTHENTICATED(401),
        PERMISSION_DENIED(403),
        NOT_FOUND(404),
        FAILED_PRECONDITION(409),
        RESOURCE_EXHAUSTED(413),
        INTERNAL(500),
        UNIMPLEMENTED(501),
        UNAVAILABLE(503);

        private final int http;

        Status(int http) { this.http = http; }

        public int httpStatus() { return http; }
    }

    private final Status status;

    public ServingException(Status status, String message) {
        super(message);
        this.status = status;
    }

    public ServingException(Status status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public Status status() { return status; }

    public static ServingException invalid(String message) { return new ServingException(Status.INVALID_ARGUMENT, message); }

    public static ServingException notFound(String message) { return new ServingException(Status.NOT_FOUND, message); }

    public static ServingException unavailable(String message) { return new ServingException(Status.UNAVAILABLE, message); }

    public static ServingException tooLarge(String message) { return new ServingException(Status.RESOURCE_EXHAUSTED, message); }
}
