package dev.ember.tensor.spi;

/**
 * Elementwise two-input primitives over operands of one dtype, broadcast to the output's shape by
 * stride-0 dimensions. Comparisons and logical ops write bool. LSHIFT and RSHIFT take the count modulo the
 * width C shifts in: 64 for int64, 32 for the narrower integers (promoted to int), as x86's shl/sar do.
 */
public enum BinaryOp {
    ADD("badd"), SUB("bsub"), MUL("bmul"), DIV("bdiv"), FLOOR_DIVIDE("bfloor_divide"), TRUNC_DIVIDE("btrunc_divide"),
    REMAINDER("bremainder"), FMOD("bfmod"), POW("bpow"), MAXIMUM("bmaximum"), MINIMUM("bminimum"), ATAN2("batan2"),
    HYPOT("bhypot"), LOGADDEXP("blogaddexp"), LOGADDEXP2("blogaddexp2"), COPYSIGN("bcopysign"), HEAVISIDE("bheaviside"), ZETA("bzeta"), IGAMMA("bigamma"), IGAMMAC("bigammac"),
    CLAMP_MIN("bclamp_min"), CLAMP_MAX("bclamp_max"),
    EQ("beq", true), NE("bne", true), LT("blt", true), LE("ble", true), GT("bgt", true), GE("bge", true),
    LOGICAL_AND("blogical_and", true), LOGICAL_OR("blogical_or", true), LOGICAL_XOR("blogical_xor", true),
    BITWISE_AND("bbitwise_and"), BITWISE_OR("bbitwise_or"), BITWISE_XOR("bbitwise_xor"),
    LSHIFT("blshift"), RSHIFT("brshift"), GCD("bgcd"), LCM("blcm");

    private final String kernel;
    private final boolean boolResult;

    BinaryOp(String kernel) { this(kernel, false); }

    BinaryOp(String kernel, boolean boolResult) {
        this.kernel = kernel;
        this.boolResult = boolResult;
    }

    public String kernel() { return kernel; }

    public boolean boolResult() { return boolResult; }
}
