package dev.ember.tensor;

import dev.ember.testing.OpCases;
import dev.ember.testing.OpCases.Op;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.Map;
import java.util.stream.Stream;

import static dev.ember.testing.OpCases.checkingLayout;
import static java.util.Map.entry;

/**
 * The Tensor API a translated tutorial still needed (the in-place logical ops, dist, renorm, igamma/igammac) against
 * PyTorch fixtures (tools/fixtures/fx_more_api.py): values, dtypes, strides, grad_fn names, gradients and errors.
 */
class MoreApiTest {

    @TestFactory
    Stream<DynamicTest> moreApi() {
        Map<String, Op> ops = Map.<String, Op>ofEntries(
                entry("logical_and_", checkingLayout((x, k) -> x[0].clone().logicalAnd_(x[1]))),
                entry("logical_or_", checkingLayout((x, k) -> x[0].clone().logicalOr_(x[1]))),
                entry("logical_xor_", checkingLayout((x, k) -> x[0].clone().logicalXor_(x[1]))),
                entry("logical_not_", checkingLayout((x, k) -> x[0].clone().logicalNot_())),
                entry("dist", checkingLayout((x, k) -> x[0].dist(x[1], p(k)))),
                entry("dist_default", checkingLayout((x, k) -> x[0].dist(x[1]))),
                entry("renorm", checkingLayout((x, k) -> x[0].renorm(p(k), k.i("dim"), k.d("maxnorm")))),
                entry("renorm_", checkingLayout((x, k) -> x[0].clone().renorm_(p(k), k.i("dim"), k.d("maxnorm")))),
                entry("igamma", checkingLayout((x, k) -> x[0].igamma(x[1]))),
                entry("igammac", checkingLayout((x, k) -> x[0].igammac(x[1]))),
                entry("special_gammainc", checkingLayout((x, k) -> x[0].specialGammainc(x[1]))),
                entry("special_gammaincc", checkingLayout((x, k) -> x[0].specialGammaincc(x[1]))),
                entry("igamma_", checkingLayout((x, k) -> x[0].clone().igamma_(x[1]))),
                entry("igammac_", checkingLayout((x, k) -> x[0].clone().igammac_(x[1]))),
                entry("hypot_", checkingLayout((x, k) -> x[0].clone().hypot_(x[1]))));
        return OpCases.run("more_api", ops);
    }

    /** p as the fixture carries it: a number, or "inf"/"-inf". */
    private static double p(dev.ember.testing.Kw k) {
        String s = k.s("p");
        return s.endsWith("inf") ? (s.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY) : k.d("p");
    }
}
