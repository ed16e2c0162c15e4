package dev.ember.serving;

import java.util.Arrays;

/**
 * The largest tensor a request may carry, checked on the declared shape before anything is allocated, so a
 * small body that claims a huge shape costs nothing. Ember tensors index with int, hence the element bound.
 */
public record TensorLimits(long maxTensorBytes) {
    public static final TensorLimits UNLIMITED = new TensorLimits(Long.MAX_VALUE);

    /** Validates a shape and returns its element count. */
    public int checkShape(String what, DataType datatype, long[] shape) {
        long numel = 1;
        for (long d : shape) {
            if (d < 0) throw ServingException.invalid(what + ": shape " + Arrays.toString(shape) + " has a negative dimension");
            if (d != 0 && numel > Integer.MAX_VALUE / d) numel = Long.MAX_VALUE;
            else numel *= d;
        }
        if (numel > Integer.MAX_VALUE)
            throw ServingException.tooLarge(what + ": shape " + Arrays.toString(shape) + " has more than 2147483647 elements");
        long bytes = numel * Math.max(datatype.size(), 1);
        if (bytes > maxTensorBytes) throw tooLarge(what, bytes);
        return (int) numel;
    }

    /** For variable-length (BYTES) tensors, whose size is known only from their data. */
    public void checkBytes(String what, long bytes) {
        if (bytes > maxTensorBytes) throw tooLarge(what, bytes);
    }

    private ServingException tooLarge(String what, long bytes) {
        return ServingException.tooLarge(what + " needs " + bytes + " bytes, over the tensor limit of " + maxTensorBytes
                + " bytes (ember.limits.max-tensor-bytes)");
    }
}
