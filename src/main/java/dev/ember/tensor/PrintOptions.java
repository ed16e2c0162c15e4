package dev.ember.tensor;

/**
 * {@code torch.set_printoptions}: how {@link Tensor#toString()} prints, for every tensor of the process.
 * {@code Tensor.setPrintOptions(PrintOptions.DEFAULT.withPrecision(2))} is
 * {@code torch.set_printoptions(precision=2)}; {@code Tensor.setPrintOptions(PrintOptions.profile("full"))} is
 * {@code torch.set_printoptions(profile="full")}. A record replaces all options at once, so where Python's call
 * also resets {@code sci_mode} to None when it is not passed, here it keeps what the record holds.
 *
 * @param precision  digits after the decimal point (4)
 * @param threshold  elements above which a tensor is summarised with {@code ...} (1000; infinity never summarises)
 * @param edgeItems  items kept at each end of every dim of a summarised tensor (3)
 * @param lineWidth  characters per line before wrapping (80)
 * @param sciMode    true or false forces scientific notation on or off for floats; null lets each tensor choose
 */
public record PrintOptions(int precision, double threshold, int edgeItems, int lineWidth, Boolean sciMode) {
    /** {@code profile="default"}. */
    public static final PrintOptions DEFAULT = new PrintOptions(4, 1000, 3, 80, null);

    public PrintOptions {
        // Python takes these and fails at print time (a negative precision; edgeitems=0 on a summarised matrix, whose
        // summary stacks no rows) or slices oddly (edgeitems=0 on a vector prints it whole); a Java caller learns here
        if (precision < 0) throw new IllegalArgumentException("precision must be non-negative, got " + precision);
        if (edgeItems < 1) throw new IllegalArgumentException("edgeitems must be positive, got " + edgeItems);
        if (Double.isNaN(threshold)) throw new IllegalArgumentException("threshold must be a number, got NaN");
    }

    /** PyTorch's named profiles: {@code "default"}, {@code "short"} (2 digits, 2 edge items) and {@code "full"} (never summarise). */
    public static PrintOptions profile(String name) {
        return switch (name) {
            case "default" -> DEFAULT;
            case "short" -> new PrintOptions(2, 1000, 2, 80, null);
            case "full" -> new PrintOptions(4, Double.POSITIVE_INFINITY, 3, 80, null);
            default -> throw new IllegalArgumentException("unknown print profile '" + name + "': expected 'default', 'short' or 'full'");
        };
    }

    public PrintOptions withPrecision(int precision) { return new PrintOptions(precision, threshold, edgeItems, lineWidth, sciMode); }

    public PrintOptions withThreshold(double threshold) { return new PrintOptions(precision, threshold, edgeItems, lineWidth, sciMode); }

    public PrintOptions withEdgeItems(int edgeItems) { return new PrintOptions(precision, threshold, edgeItems, lineWidth, sciMode); }

    public PrintOptions withLineWidth(int lineWidth) { return new PrintOptions(precision, threshold, edgeItems, lineWidth, sciMode); }

    public PrintOptions withSciMode(Boolean sciMode) { return new PrintOptions(precision, threshold, edgeItems, lineWidth, sciMode); }
}
