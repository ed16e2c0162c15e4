package dev.ember.optim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ember.tensor.Tensor;
import dev.ember.testing.TensorAssert;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Every optimizer and option combination against PyTorch 1.13 (tools/fixtures/fx_optim.py): 20 steps of the
 * fixed model on fixed batches; the parameters must match PyTorch's after every step, and the state dict after
 * 10 and 20 steps must have PyTorch's keys, key order, value types and values.
 */
class OptimizerTrajectoryTest {
    static final TrainFixture FX = new TrainFixture("optim");

    static Stream<JsonNode> records() { return StreamSupport.stream(FX.meta.get("optim").spliterator(), false); }

    @TestFactory
    Stream<DynamicTest> trajectoriesMatchPyTorch() {
        return records().map(rec -> DynamicTest.dynamicTest(rec.get("id").asText(), () -> run(rec)));
    }

    /** Builds the case's optimizer over fresh params (groups as the fixture lists them). */
    static Optimizer build(JsonNode rec, List<Tensor> params) {
        Map<String, Object> kwargs = FX.decodeMap(rec.get("kwargs"));
        if (!rec.has("groups")) return OptimFactory.make(rec.get("optim").asText(), kwargs, params);
        List<ParamGroup> groups = new ArrayList<>();
        for (JsonNode g : rec.get("groups")) groups.add(group(g.get(0), g.get(1), params));
        return OptimFactory.make(rec.get("optim").asText(), kwargs, groups);
    }

    static ParamGroup group(JsonNode indices, JsonNode options, List<Tensor> params) {
        List<Tensor> ps = new ArrayList<>();
        for (JsonNode i : indices) ps.add(params.get(i.asInt()));
        ParamGroup g = ParamGroup.of(ps);
        for (JsonNode kv : options) g.with(kv.get(0).asText(), FX.decode(kv.get(1)));
        return g;
    }

    /** Steps from {@code from} to {@code to}, checking params after each step against the trajectory. */
    static void steps(JsonNode rec, Optimizer opt, List<Tensor> params, int from, int to) {
        String dtype = rec.get("dtype").asText();
        Tensor traj = FX.file.tensor(rec.get("traj").asText());
        double[] tol = TrainFixture.tolerance(dtype);
        for (int k = from; k < to; k++) {
            if (rec.has("add_group") && rec.get("add_group").get(0).asInt() == k)
                opt.addParamGroup(group(rec.get("add_group").get(1), rec.get("add_group").get(2), params));
            FX.trainStep(opt, params, dtype, k);
            TensorAssert.assertClose(TrainFixture.flat(params), traj.select(0, k + 1), tol[0], tol[1], "params after step " + (k + 1));
        }
    }

    static void run(JsonNode rec) {
        String dtype = rec.get("dtype").asText();
        List<Tensor> params = FX.initialParams(dtype);
        Optimizer opt = build(rec, params);
        double[] tol = TrainFixture.tolerance(dtype);
        steps(rec, opt, params, 0, 10);
        TrainFixture.assertSameValue(FX.decode(rec.get("sd10")), opt.stateDict(), "state_dict after 10 steps", tol[0], tol[1]);
        steps(rec, opt, params, 10, 20);
        TrainFixture.assertSameValue(FX.decode(rec.get("sd20")), opt.stateDict(), "state_dict after 20 steps", tol[0], tol[1]);
    }
}
