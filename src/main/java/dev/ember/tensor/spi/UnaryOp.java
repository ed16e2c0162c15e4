package dev.ember.tensor.spi;

/**
 * Elementwise one-input primitives. The kernel name ({@code uexp}) is shared by the CPU code and the CUDA
 * kernels ({@code uexp_f32}), as in candle. Input and output have the same dtype unless {@link #boolResult}.
 */
public enum UnaryOp {
    NEG("uneg"), ABS("uabs"), SIGN("usign"), RECIPROCAL("urecip"), SQUARE("usqr"),
    EXP("uexp"), EXP2("uexp2"), EXPM1("uexpm1"), LOG("ulog"), LOG2("ulog2"), LOG10("ulog10"), LOG1P("ulog1p"),
    SQRT("usqrt"), RSQRT("ursqrt"),
    SIN("usin"), COS("ucos"), TAN("utan"), ASIN("uasin"), ACOS("uacos"), ATAN("uatan"),
    SINH("usinh"), COSH("ucosh"), TANH("utanh"), ASINH("uasinh"), ACOSH("uacosh"), ATANH("uatanh"),
    SIGMOID("usigmoid"), RELU("urelu"), GELU("ugelu"), GELU_TANH("ugelu_tanh"), SILU("usilu"), ERF("uerf"), ERFC("uerfc"),
    ERFINV("uerfinv"), LGAMMA("ulgamma"), DIGAMMA("udigamma"), I0("ui0"), I0E("ui0e"), I1("ui1"), I1E("ui1e"),
    FLOOR("ufloor"), CEIL("uceil"), ROUND("uround"), TRUNC("utrunc"), FRAC("ufrac"),
    LOGICAL_NOT("ulogical_not", true), BITWISE_NOT("ubitwise_not"),
    ISNAN("uisnan", true), ISINF("uisinf", true), ISFINITE("uisfinite", true), SIGNBIT("usignbit", true);

    private final String kernel;
    private final boolean boolResult;

    UnaryOp(String kernel) { this(kernel, false); }

    UnaryOp(String kernel, boolean boolResult) {
        this.kernel = kernel;
        this.boolResult = boolResult;
    }

    public String kernel() { return kernel; }

    /** True when the output is a bool tensor whatever the input dtype. */
    public boolean boolResult() { return boolResult; }
}
