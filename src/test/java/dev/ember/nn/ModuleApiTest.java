package dev.ember.nn;

import dev.ember.autograd.GradMode;
import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Module's traversal, training state, conversion and container behaviour, checked against what PyTorch does. */
class ModuleApiTest {

    /** A tree with a module registered twice (shared) and a None slot, as PyTorch users build them. */
    static final class Shared extends Module {
        final Linear a = register("a", new Linear(2, 3));
        final Sequential seq = register("seq", new Sequential(new Linear(3, 3), new ReLU()));

        Shared() {
            register("again", a);
            register("none", null);
            registerBuffer("b", Tensor.zeros(1));
        }
    }

    @Test
    void traversalDeduplicatesLikeTorch() {
        Shared m = new Shared();
        // named_parameters / named_modules / children: a shared module is reported once, under its first name
        assertThat(m.namedParameters().keySet()).containsExactly("a.weight", "a.bias", "seq.0.weight", "seq.0.bias");
        assertThat(m.namedModules().keySet()).containsExactly("", "a", "seq", "seq.0", "seq.1");
        assertThat(m.namedChildren().keySet()).containsExactly("a", "seq");
        assertThat(m.children()).hasSize(2);
        assertThat(m.namedBuffers().keySet()).containsExactly("b");
        // state_dict does not deduplicate: the shared module's tensors appear under both names
        assertThat(m.stateDict().keySet()).containsExactly("b", "a.weight", "a.bias", "seq.0.weight", "seq.0.bias", "again.weight", "again.bias");
        assertThat(m.stateDict().metadata().keySet()).containsExactly("", "a", "seq", "seq.0", "seq.1", "again");
        assertThat(m.toString()).isEqualTo("""
                Shared(
                  (a): Linear(in_features=2, out_features=3, bias=True)
                  (seq): Sequential(
                    (0): Linear(in_features=3, out_features=3, bias=True)
                    (1): ReLU()
                  )
                  (again): Linear(in_features=2, out_features=3, bias=True)
                  (none): None
                )""");
        assertThat(m.getSubmodule("seq.0")).isSameAs(m.seq.get(0));
        assertThat(m.getParameter("seq.0.bias")).isSameAs(((Linear) m.seq.get(0)).bias());
        assertThatThrownBy(() -> m.getSubmodule("seq.5")).hasMessage("Sequential has no attribute `5`");
    }

    @Test
    void applyVisitsChildrenFirst() {
        Shared m = new Shared();
        List<String> order = new ArrayList<>();
        m.apply(x -> order.add(x.typeName()));
        assertThat(order).containsExactly("Linear", "Linear", "ReLU", "Sequential", "Shared");
    }

    @Test
    void trainEvalPropagateAndSwitchDropout() {
        Sequential s = new Sequential(new Linear(4, 4), new Dropout(0.5));
        assertThat(s.isTraining()).isTrue();
        s.eval();
        assertThat(s.get(1).isTraining()).isFalse();
        Tensor x = Tensor.ones(4, 4);
        assertThat(s.get(1).forward(x)).isSameAs(x);
        s.train();
        assertThat(s.get(1).isTraining()).isTrue();
    }

    @Test
    void zeroGradKeepsTensorsByDefaultAsIn113() {
        Linear l = new Linear(3, 2);
        l.forward(Tensor.ones(1, 3)).sum().backward();
        Tensor g = l.weight().grad();
        l.zeroGrad();
        assertThat(l.weight().grad()).isSameAs(g);
        assertThat(g.abs().sum().item()).isZero();
        l.zeroGrad(true);
        assertThat(l.weight().grad()).isNull();
    }

    @Test
    void requiresGradFreezes() {
        Linear l = new Linear(3, 2);
        l.requiresGrad_(false);
        Tensor y = l.forward(Tensor.ones(1, 3));
        assertThat(y.requiresGrad()).isFalse();
        l.requiresGrad_(true);
        assertThat(l.parameters()).allMatch(Tensor::requiresGrad);
    }

    @Test
    void toDtypeConvertsFloatingTensorsOnly() {
        BatchNorm1d bn = new BatchNorm1d(3);
        bn.to(DType.FLOAT64);
        assertThat(bn.weight().dtype()).isEqualTo(DType.FLOAT64);
        assertThat(bn.runningMean().dtype()).isEqualTo(DType.FLOAT64);
        assertThat(bn.numBatchesTracked().dtype()).isEqualTo(DType.INT64);
        assertThat(bn.weight().requiresGrad()).isTrue();
        Tensor same = bn.weight();
        bn.to(DType.FLOAT64);
        assertThat(bn.weight()).as("no conversion, same Parameter").isSameAs(same);
    }

    @Test
    void batchNormCountsBatchesAndUsesCumulativeAverage() {
        BatchNorm1d bn = new BatchNorm1d(2, 1e-5, null, true, true);
        Tensor a = Tensor.tensor(new double[][] {{1, 2}, {3, 6}}).to(DType.FLOAT32), b = Tensor.tensor(new double[][] {{5, 0}, {7, 0}}).to(DType.FLOAT32);
        bn.forward(a);
        bn.forward(b);
        assertThat(bn.numBatchesTracked().itemLong()).isEqualTo(2);
        // momentum=None: running mean is the plain average of the batch means
        assertThat(bn.runningMean().toFloatArray()).containsExactly(4f, 2f);
        bn.eval();
        bn.forward(a);
        assertThat(bn.numBatchesTracked().itemLong()).isEqualTo(2);
        assertThatThrownBy(() -> bn.forward(Tensor.zeros(2, 2, 2, 2))).hasMessage("expected 2D or 3D input (got 4D input)");
    }

    @Test
    void containers() {
        Sequential s = new Sequential(new ReLU(), new Tanh(), new Sigmoid());
        assertThat(s.get(-1)).isInstanceOf(Sigmoid.class);
        Sequential tail = s.slice(1, 3);
        assertThat(tail.namedChildren().keySet()).containsExactly("1", "2");
        assertThatThrownBy(() -> s.get(3)).hasMessage("index 3 is out of range");
        ModuleList ml = new ModuleList(new ReLU(), new Tanh());
        ml.insert(1, new Sigmoid());
        assertThat(ml.namedChildren().keySet()).containsExactly("0", "1", "2");
        assertThat(ml.get(1)).isInstanceOf(Sigmoid.class);
        assertThatThrownBy(() -> ml.forward(Tensor.zeros(1))).hasMessage("Module [ModuleList] is missing the required \"forward\" function");
        Map<String, Tensor> ordered = new LinkedHashMap<>();
        ordered.put("z", Tensor.zeros(1));
        ordered.put("a", Tensor.zeros(1));
        assertThat(new ParameterDict(ordered).keys()).containsExactly("z", "a");
        assertThat(new ParameterDict(Map.of("z", Tensor.zeros(1), "a", Tensor.zeros(1))).keys()).as("plain dicts are sorted").containsExactly("a", "z");
        assertThat(new ParameterDict(new TreeMap<>(ordered)).keys()).containsExactly("a", "z");
        assertThatThrownBy(() -> new ParameterList().call(Tensor.zeros(1))).hasMessage("ParameterList should not be called.");
    }

    @Test
    void genericCallDispatchesPositionalArguments() {
        MSELoss loss = new MSELoss();
        Object r = loss.call(Tensor.ones(2), Tensor.zeros(2));
        assertThat(((Tensor) r).item()).isEqualTo(1.0);
        // PyTorch 1.13 on Python 3.11: nn.MSELoss()(a) and friends
        Tensor a = Tensor.ones(2);
        assertThatThrownBy(() -> loss.call(a)).hasMessage("MSELoss.forward() missing 1 required positional argument: 'target'");
        assertThatThrownBy(() -> loss.call()).hasMessage("MSELoss.forward() missing 2 required positional arguments: 'input' and 'target'");
        assertThatThrownBy(() -> loss.call(a, a, a, a, a)).hasMessage("MSELoss.forward() takes 3 positional arguments but 6 were given");
        assertThatThrownBy(() -> loss.forward(a)).hasMessage("MSELoss.forward() missing 1 required positional argument: 'target'");
        assertThatThrownBy(() -> new MarginRankingLoss().call()).hasMessage("MarginRankingLoss.forward() missing 3 required positional arguments: 'input1', 'input2', and 'target'");
        assertThatThrownBy(() -> new MarginRankingLoss().call(a)).hasMessage("MarginRankingLoss.forward() missing 2 required positional arguments: 'input2' and 'target'");
        assertThatThrownBy(() -> new CosineEmbeddingLoss().call(a, a)).hasMessage("CosineEmbeddingLoss.forward() missing 1 required positional argument: 'target'");
        assertThatThrownBy(() -> new TripletMarginLoss().call(a, a)).hasMessage("TripletMarginLoss.forward() missing 1 required positional argument: 'negative'");
        assertThatThrownBy(() -> new TripletMarginLoss().forward(a)).hasMessage("TripletMarginLoss.forward() missing 2 required positional arguments: 'positive' and 'negative'");
        assertThatThrownBy(() -> new TripletMarginLoss().call(a, a, a, a, a)).hasMessage("TripletMarginLoss.forward() takes 4 positional arguments but 6 were given");
        // forward(log_input, target) in PyTorch; every other two-tensor loss names its first argument 'input'
        assertThatThrownBy(() -> new PoissonNLLLoss().call()).hasMessage("PoissonNLLLoss.forward() missing 2 required positional arguments: 'log_input' and 'target'");
        assertThatThrownBy(() -> new PoissonNLLLoss().call(a)).hasMessage("PoissonNLLLoss.forward() missing 1 required positional argument: 'target'");
        assertThatThrownBy(() -> new PoissonNLLLoss().call(a, a, a)).hasMessage("PoissonNLLLoss.forward() takes 3 positional arguments but 4 were given");
        assertThatThrownBy(() -> new CTCLoss().call(a)).hasMessage("CTCLoss.forward() missing 3 required positional arguments: 'targets', 'input_lengths', and 'target_lengths'");
        assertThatThrownBy(() -> new CTCLoss().call(a, a)).hasMessage("CTCLoss.forward() missing 2 required positional arguments: 'input_lengths' and 'target_lengths'");
        assertThat(((Tensor) new MarginRankingLoss().call(a, a, a)).item()).isEqualTo(0.0);
        assertThatThrownBy(() -> new ReLU().call(Tensor.ones(2), Tensor.ones(2))).hasMessage("ReLU.forward() takes 2 positional arguments but 3 were given");
        LSTM lstm = new LSTM(2, 3);
        Object out = lstm.call(Tensor.zeros(4, 1, 2));
        assertThat(out).isInstanceOf(List.class);
        List<?> l = (List<?>) out;
        assertThat(((Tensor) l.get(0)).shape()).containsExactly(4, 1, 3);
        assertThat(((List<?>) l.get(1))).hasSize(2);
    }

    @Test
    void dropoutZeroesAndScalesInTraining() {
        Tensor.manualSeed(7);
        Tensor x = Tensor.ones(200, 100);
        Tensor y = new Dropout(0.3).forward(x);
        float[] v = y.toFloatArray();
        int zeros = 0;
        for (float f : v) {
            if (f == 0) zeros++;
            else assertThat(f).isCloseTo(1 / 0.7f, org.assertj.core.data.Offset.offset(1e-6f));
        }
        assertThat(zeros / (double) v.length).isBetween(0.27, 0.33);
        Tensor leaf = Tensor.ones(10).requiresGrad_(true);
        Tensor out = dev.ember.nn.functional.F.dropout(leaf, 0.5, true);
        assertThat(out.gradFn().name()).isEqualTo("MulBackward0");
        assertThat(dev.ember.nn.functional.F.dropout(leaf, 1.0, true).abs().sum().item()).isZero();
        assertThatThrownBy(() -> new Dropout(1.5)).hasMessage("dropout probability has to be between 0 and 1, but got 1.5");
        Tensor z = Tensor.ones(50);
        assertThat(new Dropout(0.5, true).forward(z)).as("inplace").isSameAs(z);
        assertThat(z.toFloatArray()).containsOnly(0f, 2f);
    }

    @Test
    void inplaceActivationsWriteIntoTheirInput() {
        Tensor x = Tensor.of(-1f, 2f);
        assertThat(new ReLU(true).forward(x)).isSameAs(x);
        assertThat(x.toFloatArray()).containsExactly(0f, 2f);
        Tensor y = Tensor.of(-1f, 2f);
        new LeakyReLU(0.5, true).forward(y);
        assertThat(y.toFloatArray()).containsExactly(-0.5f, 2f);
        Tensor leaf = Tensor.of(-1f, 2f).requiresGrad_(true);
        assertThatThrownBy(() -> new ELU(1.0, true).forward(leaf)).hasMessage("a leaf Variable that requires grad is being used in an in-place operation.");
        Tensor z = Tensor.of(-1f, 2f).requiresGrad_(true);
        Tensor h = z.mul(1.0);
        new ELU(1.0, true).forward(h).sum().backward();
        assertThat(z.grad().toFloatArray()[1]).isEqualTo(1f);
    }

    @Test
    void noGradForwardBuildsNoGraph() {
        SeedModels.MLP mlp = new SeedModels.MLP();
        try (var g = GradMode.noGrad()) {
            assertThat(mlp.forward(Tensor.randn(2, 784)).requiresGrad()).isFalse();
        }
    }
}
