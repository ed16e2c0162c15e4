package dev.ember.serving;

import java.util.Map;

/** Parameter names the protocols give meaning to, and the ones Ember refuses rather than ignores. */
public final class ProtocolParameters {
    /** Triton binary extension: byte size of an input's or output's binary blob. */
    public static final String BINARY_DATA_SIZE = "binary_data_size";
    /** Triton binary extension: return this output as binary. */
    public static final String BINARY_DATA = "binary_data";
    /** Triton binary extension: return every output as binary unless an output says otherwise. */
    public static final String BINARY_DATA_OUTPUT = "binary_data_output";

    private ProtocolParameters() {}

    /** Shared-memory tensors would be silently wrong if ignored, so they are refused. */
    public static void rejectSharedMemory(Map<String, Object> parameters, String where) {
        if (parameters.containsKey("shared_memory_region"))
            throw new ServingException(ServingException.Status.UNIMPLEMENTED,
                    where + " uses shared_memory_region; Ember does not implement the shared-memory extensions");
    }

    /** A boolean parameter, or {@code dflt} when absent. */
    public static boolean flag(Map<String, Object> parameters, String name, boolean dflt) {
        Object v = parameters.get(name);
        if (v == null) return dflt;
        if (v instanceof Boolean b) return b;
        throw ServingException.invalid("parameter '" + name + "' must be a boolean, got " + v);
    }
}
