package dev.ember.api.rest;

import dev.ember.serving.ServingConfig;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Refuses a body whose Content-Length exceeds ember.limits.max-request-bytes with the protocol's JSON error
 * (413) before it is read. Quarkus's own limit (quarkus.http.limits.max-body-size, set to the same value)
 * still stops chunked bodies that grow past it, with an empty 413.
 */
@ApplicationScoped
public class BodyLimit {
    void install(@Observes Router router, ServingConfig config) {
        long max = config.limits().maxRequestBytes();
        router.route("/v2/*").order(-1000).handler(ctx -> {
            String length = ctx.request().getHeader("Content-Length");
            if (length != null) {
                long n;
                try {
                    n = Long.parseLong(length.trim());
                } catch (NumberFormatException e) {
                    n = -1;
                }
                if (n > max) {
                    ctx.response().setStatusCode(413).putHeader("Content-Type", "application/json").putHeader("Connection", "close")
                            .end(new JsonObject().put("error", "the request body has " + n + " bytes, over the limit of " + max
                                    + " bytes (ember.limits.max-request-bytes)").encode());
                    return;
                }
            }
            ctx.next();
        });
    }
}
