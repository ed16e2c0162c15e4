package dev.ember.api.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ember.serving.AccessPolicy;
import dev.ember.serving.ModelManager;
import dev.ember.serving.ServingException;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** The model repository extension (research/serving.md §2.2): index, load, unload; all need management access. */
@Path("/v2/repository")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class RepositoryResource {
    @Inject
    ModelManager manager;
    @Inject
    AccessPolicy access;
    @Inject
    ObjectMapper json;

    @POST
    @Path("index")
    public List<Map<String, Object>> index(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
        access.checkManagement(authorization);
        JsonNode ready = body(body).get("ready");
        if (ready != null && !ready.isBoolean()) throw ServingException.invalid("'ready' must be a boolean");
        return ProtocolJson.index(manager.index(ready != null && ready.booleanValue()));
    }

    @POST
    @Path("models/{model}/load")
    public Map<String, Object> load(@PathParam("model") String model, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
        access.checkManagement(authorization);
        Map<String, Object> params = JsonParameters.read(body(body).get("parameters"), "the load request");
        for (String p : params.keySet())
            if (p.equals("config") || p.startsWith("file:"))
                throw new ServingException(ServingException.Status.UNIMPLEMENTED, "load parameter '" + p
                        + "' is not supported: Ember loads config.json and the version directories from the repository");
        manager.requestLoad(model);
        return Map.of();
    }

    @POST
    @Path("models/{model}/unload")
    public Map<String, Object> unload(@PathParam("model") String model, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
        access.checkManagement(authorization);
        JsonParameters.read(body(body).get("parameters"), "the unload request");
        manager.requestUnload(model);
        return Map.of();
    }

    /** The optional JSON body; an empty body is an empty object. */
    private JsonNode body(byte[] body) {
        if (body == null || body.length == 0) return json.createObjectNode();
        try {
            JsonNode n = json.readTree(new String(body, StandardCharsets.UTF_8));
            if (n == null || n.isMissingNode()) return json.createObjectNode();
            if (!n.isObject()) throw ServingException.invalid("the request body must be a JSON object");
            return n;
        } catch (JsonProcessingException e) {
            throw ServingException.invalid("malformed JSON: " + e.getOriginalMessage());
        }
    }
}
