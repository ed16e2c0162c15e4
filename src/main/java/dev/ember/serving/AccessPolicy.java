package dev.ember.serving;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Who may call what. Management (repository index, load, unload, and later fine-tuning) changes what is
 * served, so it needs {@code Authorization: Bearer <ember.auth.token>}; with no token configured it is
 * refused unless {@code ember.auth.management=open} says otherwise. Inference is open unless
 * {@code ember.auth.inference=token}.
 */
public final class AccessPolicy {
    private final Optional<String> token;
    private final boolean managementOpen;
    private final boolean inferenceOpen;

    public AccessPolicy(Optional<String> token, String management, String inference) {
        this.token = token.filter(t -> !t.isBlank());
        this.managementOpen = parse("ember.auth.management", management);
        this.inferenceOpen = parse("ember.auth.inference", inference);
    }

    private static boolean parse(String property, String value) {
        return switch (value.trim()) {
            case "open" -> true;
            case "token" -> false;
            default -> throw new IllegalArgumentException(property + " must be 'token' or 'open', got '" + value + "'");
        };
    }

    /** @param authorization the Authorization header (or gRPC metadata), null when absent */
    public void checkManagement(String authorization) {
        if (token.isEmpty()) {
            if (managementOpen) return;
            throw new ServingException(ServingException.Status.PERMISSION_DENIED, "management endpoints are disabled: set ember.auth.token"
                    + " and send 'Authorization: Bearer <token>', or set ember.auth.management=open to allow them without a token");
        }
        checkToken(authorization, "management endpoints need");
    }

    public void checkInference(String authorization) {
        if (inferenceOpen) return;
        if (token.isEmpty())
            throw new ServingException(ServingException.Status.PERMISSION_DENIED,
                    "inference needs a token (ember.auth.inference=token) but ember.auth.token is not set");
        checkToken(authorization, "inference needs");
    }

    private void checkToken(String authorization, String what) {
        String given = authorization == null ? "" : authorization.trim();
        if (!given.regionMatches(true, 0, "Bearer ", 0, 7))
            throw new ServingException(ServingException.Status.UNAUTHENTICATED, what + " 'Authorization: Bearer <ember.auth.token>'");
        byte[] a = given.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        byte[] b = token.orElseThrow().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(a, b)) throw new ServingException(ServingException.Status.UNAUTHENTICATED, "invalid bearer token");
    }
}
