package dev.ember.tensor.spi;

/**
 * Reductions over a set of axes. SUM/PROD accumulate into the output's dtype (the op layer picks
 * int64 for integer sums, as PyTorch does); MAX/MIN propagate NaN; ANY/ALL write bool.
 */
public enum ReduceOp {
    SUM("rsum"), PROD("rprod"), MAX("rmax"), MIN("rmin"), ANY("rany"), ALL("rall");

    private final String kernel;

    ReduceOp(String kernel) { this.kernel = kernel; }

    public String kernel() { return kernel; }
}
