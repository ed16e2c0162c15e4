package dev.ember.api.rest;

import dev.ember.serving.ServingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Every failure as the protocol's {@code {"error": "..."}} with the status the failure maps to. */
@Provider
public class ErrorMapper implements ExceptionMapper<Throwable> {
    private static final Logger LOG = Logger.getLogger(ErrorMapper.class.getName());

    @Override
    public Response toResponse(Throwable e) { return of(e); }

    static Response of(Throwable e) {
        Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return switch (t) {
            case ServingException s -> {
                Response.ResponseBuilder r = json(s.status().httpStatus(), s.getMessage());
                if (s.status() == ServingException.Status.UNAUTHENTICATED) r.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
                yield r.build();
            }
            case WebApplicationException w -> json(w.getResponse().getStatus(), w.getMessage()).build();
            default -> {
                LOG.log(Level.SEVERE, "unexpected error", t);
                yield json(500, "internal error: " + t).build();
            }
        };
    }

    private static Response.ResponseBuilder json(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(Map.of("error", message == null ? "" : message));
    }
}
