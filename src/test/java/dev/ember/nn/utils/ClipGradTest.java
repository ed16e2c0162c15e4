package dev.ember.nn.utils;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ember.tensor.Tensor;
import dev.ember.testing.Fixtures;
import dev.ember.testing.Fixtures.FixtureFile;
import dev.ember.testing.TensorAssert;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** clip_grad_norm_ and clip_grad_value_ against PyTorch 1.13 (the "clip" cases of tools/fixtures/fx_optim.py). */
class ClipGradTest {
    static final FixtureFile FILE = Fixtures.load("optim");

    @TestFactory
    Stream<DynamicTest> matchesPyTorch() {
        JsonNode cases = Fixtures.metadata("optim", "trajectories").get("clip");
        return StreamSupport.stream(cases.spliterator(), false).map(c -> DynamicTest.dynamicTest(c.get("id").asText(), () -> run(c)));
    }

    static void run(JsonNode c) {
        List<Tensor> params = new ArrayList<>();
        for (int i = 0; i < c.get("shapes").size(); i++) {
            int[] shape = new int[c.get("shapes").get(i).size()];
            for (int d = 0; d < shape.length; d++) shape[d] = c.get("shapes").get(i).get(d).asInt();
            Tensor p = Tensor.zeros(shape).requiresGrad_();
            JsonNode g = c.get("grads").get(i);
            if (!g.isNull()) p.setGrad(FILE.tensor(g.asText()));
            params.add(p);
        }
        if (c.get("kind").asText().equals("norm")) {
            Tensor total = ClipGrad.clipGradNorm_(params, Double.parseDouble(c.get("max_norm").asText()), parse(c.get("norm_type").asText()));
            TensorAssert.assertClose(total, FILE.tensor(c.get("id").asText() + "/total"), 1e-5, 1e-6, "total norm");
        } else {
            ClipGrad.clipGradValue_(params, Double.parseDouble(c.get("clip_value").asText()));
        }
        for (int i = 0; i < params.size(); i++) {
            JsonNode out = c.get("out").get(i);
            if (out.isNull()) assertNull(params.get(i).grad());
            else TensorAssert.assertClose(params.get(i).grad(), FILE.tensor(out.asText()), 1e-5, 1e-6, "grad " + i);
        }
    }

    static double parse(String repr) { return repr.equals("inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(repr); }

    @Test
    void gradientsAreScaledInPlace() {
        Tensor a = Tensor.zeros(2).requiresGrad_();
        Tensor g = Tensor.of(3f, 4f);
        a.setGrad(g);
        Tensor total = ClipGrad.clipGradNorm_(List.of(a), 1.0);
        assertEquals(5.0, total.item(), 1e-6);
        assertSame(g, a.grad());
        assertEquals(1.0, g.norm().item(), 1e-5);
        assertTrue(total.isLeaf() && !total.requiresGrad());
    }
}
