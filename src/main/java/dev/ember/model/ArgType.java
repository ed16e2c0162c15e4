package dev.ember.model;

import dev.ember.tensor.DType;
import dev.ember.tensor.Device;
import dev.ember.tensor.Tensor;

import java.util.List;

/**
 * The argument types of op and constructor signatures, in PyTorch's schema spelling ({@code Tensor}, {@code int[]},
 * {@code float}, {@code ScalarType}...), with the description PyTorch's argument parser uses in its errors.
 */
enum ArgType {
    TENSOR("Tensor"),
    TENSOR_LIST("tuple of Tensors"),
    INT("int"),
    INT_LIST("tuple of ints"),
    FLOAT("float"),
    BOOL("bool"),
    STR("str"),
    SCALAR("Number"),
    DTYPE("torch.dtype"),
    DEVICE("torch.device"),
    CONST("constant"),
    ANY("any value");

    final String description;

    ArgType(String description) { this.description = description; }

    static ArgType parse(String schemaType) {
        return switch (schemaType) {
            case "Tensor" -> TENSOR;
            case "Tensor[]" -> TENSOR_LIST;
            case "int", "SymInt" -> INT;
            case "int[]", "SymInt[]", "int[1]", "int[2]", "int[3]" -> INT_LIST;
            case "float" -> FLOAT;
            case "bool" -> BOOL;
            case "str" -> STR;
            case "Scalar" -> SCALAR;
            case "ScalarType" -> DTYPE;
            case "Device" -> DEVICE;
            case "Layout", "MemoryFormat" -> CONST;
            case "Any" -> ANY;
            default -> throw new IllegalArgumentException("unknown schema type " + schemaType);
        };
    }

    /** Whether {@code v} (not null) is a value of this type; Python's int is accepted where a float is expected. */
    boolean accepts(Object v) {
        return switch (this) {
            case TENSOR -> v instanceof Tensor;
            case TENSOR_LIST -> v instanceof List<?> l && l.stream().allMatch(e -> e instanceof Tensor);
            case INT -> v instanceof Long;
            case INT_LIST -> v instanceof Long || v instanceof List<?> l && l.stream().allMatch(e -> e instanceof Long);
            case FLOAT -> v instanceof Long || v instanceof Double;
            case BOOL -> v instanceof Boolean;
            case STR -> v instanceof String;
            case SCALAR -> v instanceof Long || v instanceof Double || v instanceof Boolean;
            case DTYPE -> v instanceof DType;
            case DEVICE -> v instanceof Device || v instanceof String;
            case CONST -> v instanceof PyConst;
            case ANY -> true;
        };
    }

    /** Python's name for the type of a value, as PyTorch's errors print it ({@code not str}). */
    static String pyType(Object v) {
        return switch (v) {
            case null -> "NoneType";
            case Tensor _ -> "Tensor";
            case Long _ -> "int";
            case Double _ -> "float";
            case Boolean _ -> "bool";
            case String _ -> "str";
            case List<?> _ -> "tuple";
            case DType _ -> "torch.dtype";
            case Device _ -> "torch.device";
            case PySlice _ -> "slice";
            case PyConst c -> c == PyConst.ELLIPSIS ? "ellipsis" : c.name();
            case java.util.Map<?, ?> _ -> "dict";
            default -> v.getClass().getSimpleName();
        };
    }
}
