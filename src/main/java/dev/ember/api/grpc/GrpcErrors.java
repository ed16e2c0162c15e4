package dev.ember.api.grpc;

import dev.ember.serving.ServingException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import java.util.concurrent.CompletionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Serving failures as gRPC statuses: the exception's status names its gRPC code. */
final class GrpcErrors {
    private static final Logger LOG = Logger.getLogger(GrpcErrors.class.getName());

    private GrpcErrors() {}

    static StatusRuntimeException of(Throwable e) {
        Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (t instanceof StatusRuntimeException s) return s;
        if (t instanceof ServingException s)
            return Status.fromCode(Status.Code.valueOf(s.status().name())).withDescription(s.getMessage()).asRuntimeException();
        LOG.log(Level.SEVERE, "unexpected error", t);
        return Status.INTERNAL.withDescription("internal error: " + t).asRuntimeException();
    }

    static String message(Throwable e) {
        return of(e).getStatus().getDescription();
    }
}
