package dev.ember.nn.functional;

/** PyTorch's int-or-pair pooling arguments, with its messages. */
final class PoolArgs {
    private PoolArgs() {}

    static int[] pair(int[] v, String op, String name) {
        if (v != null && v.length == 1) return new int[] {v[0], v[0]};
        if (v != null && v.length == 2) return v.clone();
        String what = switch (name) {
            case "kernel_size" -> "kernel_size must either be a single int, or a tuple of two ints";
            case "stride" -> "stride must either be omitted, a single int, or a tuple of two ints";
            case "padding" -> "padding must be either be a single int, or a tuple of two ints";
            case "dilation" -> "dilation must be either a single int, or a tuple of two ints";
            default -> name + " must be 2";
        };
        throw new IllegalArgumentException(op + ": " + what);
    }
}
