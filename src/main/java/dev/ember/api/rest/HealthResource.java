package dev.ember.api.rest;

import dev.ember.serving.ModelManager;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Map;

/**
 * The protocol's server health and metadata endpoints. For health the status code is the answer (200 true,
 * 400 false, as the protocol says: 4xx for false); the JSON body is the KServe convenience form.
 */
@Path("/v2")
@Produces(MediaType.APPLICATION_JSON)
public class HealthResource {
    @Inject
    ModelManager manager;

    @GET
    public Map<String, Object> server() { return ProtocolJson.serverMetadata(); }

    @GET
    @Path("health/live")
    public Map<String, Object> live() { return Map.of("live", true); }

    @GET
    @Path("health/ready")
    public Response ready() {
        boolean ready = manager.isReady();
        return Response.status(ready ? 200 : 400).entity(Map.of("ready", ready)).build();
    }
}
