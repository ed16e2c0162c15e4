package dev.ember.model;

import java.util.List;
import java.util.Map;

/**
 * One node of model.json's graph, as torch.fx has it: {@code op} is placeholder, get_attr, call_function,
 * call_module, call_method or output; {@code target} the input name, attribute path, function
 * ({@code torch.nn.functional.relu}, {@code aten.addmm.default}), module path or method name; {@code args} and
 * {@code kwargs} hold constants and {@link NodeRef}s to earlier nodes.
 */
record NodeSpec(String name, String op, String target, List<Object> args, Map<String, Object> kwargs) {
    static final List<String> OPS = List.of("placeholder", "get_attr", "call_function", "call_module", "call_method", "output");
}
