package dev.ember.tensor;

import dev.ember.tensor.spi.HostStorage;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code str(tensor)} exactly as PyTorch 1.13 prints it ({@code torch/_tensor_str.py}): one formatter per tensor
 * chooses integer, fixed or scientific notation from all shown values and pads every element to one width; lines
 * wrap at the line width; tensors over the threshold are summarised with {@code ...} keeping the edge items at each
 * end of every dim; suffixes follow in PyTorch's order. The numbers are the process-wide {@link PrintOptions}.
 */
final class TensorFormatter {
    private static volatile PrintOptions options = PrintOptions.DEFAULT;

    private TensorFormatter() {}

    static PrintOptions options() { return options; }

    static void setOptions(PrintOptions o) { options = java.util.Objects.requireNonNull(o, "print options"); }

    static String format(Tensor t) {
        PrintOptions o = options;
        String prefix = "tensor(";
        int indent = prefix.length();
        List<String> suffixes = new ArrayList<>();
        if (!t.device().isCpu()) suffixes.add("device='" + t.device() + "'");
        DType dtype = t.dtype();
        String body;
        if (t.numel() == 0) {
            // numpy's habit: the shape is shown unless it is (0,); the dtype always, as no element reveals it
            if (t.dim() != 1) suffixes.add("size=" + tuple(t.layout().shape()));
            if (dtype != DType.FLOAT32) suffixes.add("dtype=" + dtype);
            body = "[]";
        } else {
            if (dtype != DType.FLOAT32 && dtype != DType.INT64 && dtype != DType.BOOL) suffixes.add("dtype=" + dtype);
            body = new Body(t, o).render(indent);
        }
        if (t.gradFn() != null) suffixes.add("grad_fn=" + t.gradFn());
        else if (t.requiresGrad()) suffixes.add("requires_grad=True");
        return addSuffixes(prefix + body, suffixes, indent, o.lineWidth());
    }

    /** A suffix goes on the last line when it fits in the line width, else on a new line. */
    private static String addSuffixes(String text, List<String> suffixes, int indent, int lineWidth) {
        StringBuilder sb = new StringBuilder(text);
        int lastLineLength = text.length() - text.lastIndexOf('\n') + 1;
        for (String suffix : suffixes) {
            if (lastLineLength + suffix.length() + 2 > lineWidth) {
                sb.append(",\n").append(" ".repeat(indent)).append(suffix);
                lastLineLength = indent + suffix.length();
            } else {
                sb.append(", ").append(suffix);
                lastLineLength += suffix.length() + 2;
            }
        }
        return sb.append(')').toString();
    }

    /** Python's tuple spelling of a shape: {@code (2, 0)}. */
    private static String tuple(int[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) sb.append(i > 0 ? ", " : "").append(shape[i]);
        return sb.append(shape.length == 1 ? ",)" : ")").toString();
    }

    /** The nested-bracket text of a non-empty tensor, read from a contiguous host copy. */
    private static final class Body {
        private final HostStorage data;
        private final int[] shape, strides;
        private final boolean summarize;
        private final int edgeItems, lineWidth;
        private final Element element;

        Body(Tensor t, PrintOptions o) {
            data = t.toHost();
            shape = t.layout().shape();
            strides = Shape.contiguousStrides(shape);
            summarize = t.numel() > o.threshold();
            edgeItems = o.edgeItems();
            lineWidth = o.lineWidth();
            List<Integer> shown = new ArrayList<>();
            collectShown(0, 0, shown);
            DType d = data.dtype();
            element = d.isFloatingPoint() ? FloatElement.of(data, shown, o) : new IntElement(data, shown);
        }

        String render(int indent) { return render(0, 0, indent); }

        /** The flat offsets of the elements that will be printed: all of them, or the edges when summarising. */
        private void collectShown(int dim, int offset, List<Integer> out) {
            if (dim == shape.length) {
                out.add(offset);
                return;
            }
            for (int i : indices(dim)) collectShown(dim + 1, offset + i * strides[dim], out);
        }

        /** The indices printed along {@code dim}, with -1 where {@code ...} goes. */
        private int[] indices(int dim) {
            int n = shape[dim];
            if (elided(dim)) {
                int[] idx = new int[2 * edgeItems];
                for (int i = 0; i < edgeItems; i++) {
                    idx[i] = i;
                    idx[edgeItems + i] = n - edgeItems + i;
                }
                return idx;
            }
            int[] idx = new int[n];
            for (int i = 0; i < n; i++) idx[i] = i;
            return idx;
        }

        private boolean elided(int dim) { return summarize && shape[dim] > 2 * edgeItems; }

        private String render(int dim, int offset, int indent) {
            int remaining = shape.length - dim;
            if (remaining == 0) return element.format(offset);
            List<String> parts = new ArrayList<>();
            int[] idx = indices(dim);
            for (int k = 0; k < idx.length; k++) {
                if (elided(dim) && k == edgeItems) parts.add(remaining == 1 ? " ..." : "...");
                parts.add(remaining == 1 ? element.format(offset + idx[k] * strides[dim]) : render(dim + 1, offset + idx[k] * strides[dim], indent + 1));
            }
            if (remaining == 1) return vector(parts, indent);
            return "[" + String.join("," + "\n".repeat(remaining - 1) + " ".repeat(indent + 1), parts) + "]";
        }

        /** A 1-D run of elements, as many per line as fit in the line width. */
        private String vector(List<String> items, int indent) {
            int perLine = Math.max(1, Math.floorDiv(lineWidth - indent, element.width() + 2));
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < items.size(); i += perLine) lines.add(String.join(", ", items.subList(i, Math.min(items.size(), i + perLine))));
            return "[" + String.join(",\n" + " ".repeat(indent + 1), lines) + "]";
        }
    }

    /** PyTorch's {@code _Formatter}: knows the common width and spells one element. */
    private interface Element {
        int width();

        String format(int offset);

        static String pad(String s, int width) { return s.length() >= width ? s : " ".repeat(width - s.length()) + s; }
    }

    /** Integers print as Python ints, bools as {@code True}/{@code False}, right-aligned to the widest shown. */
    private record IntElement(HostStorage data, int width) implements Element {
        IntElement(HostStorage data, List<Integer> shown) {
            this(data, shown.stream().mapToInt(o -> text(data, o).length()).max().orElse(1));
        }

        private static String text(HostStorage data, int offset) {
            if (data.dtype() == DType.BOOL) return data.getLong(offset) != 0 ? "True" : "False";
            return Long.toString(data.getLong(offset));
        }

        @Override
        public String format(int offset) { return Element.pad(text(data, offset), width); }
    }

    /**
     * Floats: integer mode ({@code 1.}) when every finite non-zero value is whole, scientific when the finite
     * non-zero magnitudes span more than 1000x or exceed 1e8 (or, outside integer mode, fall below 1e-4),
     * fixed with {@code precision} decimals otherwise. The width is that of the notation so chosen even when
     * {@code sciMode} then forces the other one, as PyTorch's {@code _Formatter} pads; a tensor with no finite
     * non-zero value ignores {@code sciMode}. float16/bfloat16 values are read as float32, as PyTorch prints them.
     */
    private record FloatElement(HostStorage data, boolean intMode, boolean sciMode, int width, int precision) implements Element {
        static FloatElement of(HostStorage data, List<Integer> shown, PrintOptions o) {
            int precision = o.precision();
            List<Double> values = new ArrayList<>();
            for (int i : shown) {
                double v = data.getDouble(i);
                if (Double.isFinite(v) && v != 0) values.add(v);
            }
            if (values.isEmpty()) return new FloatElement(data, true, false, 1, precision);
            boolean intMode = values.stream().allMatch(v -> v == Math.ceil(v));
            double min = values.stream().mapToDouble(Math::abs).min().orElseThrow();
            double max = values.stream().mapToDouble(Math::abs).max().orElseThrow();
            boolean sci = max / min > 1000.0 || max > 1.0e8 || (!intMode && min < 1.0e-4);
            int width = 1;
            for (double v : values) {
                int len = sci ? NumberFormat.scientific(v, precision).length()
                        : intMode ? NumberFormat.fixed(v, 0).length() + 1 : NumberFormat.fixed(v, precision).length();
                width = Math.max(width, len);
            }
            return new FloatElement(data, intMode, o.sciMode() == null ? sci : o.sciMode(), width, precision);
        }

        @Override
        public String format(int offset) {
            double v = data.getDouble(offset);
            String s;
            if (sciMode) s = NumberFormat.scientific(v, precision);
            else if (intMode) s = NumberFormat.fixed(v, 0) + (Double.isFinite(v) ? "." : "");
            else s = NumberFormat.fixed(v, precision);
            return Element.pad(s, width);
        }
    }
}
