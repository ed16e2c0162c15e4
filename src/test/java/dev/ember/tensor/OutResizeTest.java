package dev.ember.tensor;

import dev.ember.autograd.GradMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code out=} follows ATen's resize_output, as PyTorch 1.13 does (each case's Python above it): an out of another shape
 * takes the result's, silently when empty and with the deprecation warning otherwise; a resized out gets the
 * result's layout; a dtype mismatch keeps its error.
 */
class OutResizeTest {
    private final List<String> warnings = new ArrayList<>();
    private final Logger log = Logger.getLogger(Resize.class.getName());
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) { warnings.add(r.getMessage()); }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void listen() { log.addHandler(handler); }

    @AfterEach
    void stopListening() { log.removeHandler(handler); }

    private static String warning(String had, String shape) {
        return "An output with one or more elements was resized since it had shape " + had + ", which does not match the required output shape " + shape
                + ". This behavior is deprecated, and in a future PyTorch release outputs will not be resized unless they have zero elements. "
                + "You can explicitly reuse an out tensor t by resizing it, inplace, to zero elements with t.resize_(0).";
    }

    private static Tensor a23() { return Tensor.arange(0.0, 6.0).reshape(2, 3); }

    @Test
    void anEmptyOutIsResizedSilently() {
        // out = torch.empty(0); torch.add(torch.arange(6.).reshape(2, 3), torch.ones(3), out=out) is out -> True
        // out.shape, out.stride(), out._version -> (2, 3), (3, 1), 1; no warning
        Tensor out = Tensor.empty(0);
        assertThat(out.addOut(a23(), Tensor.ones(3))).isSameAs(out);
        assertThat(out.shape()).containsExactly(2, 3);
        assertThat(out.strides()).containsExactly(3, 1);
        assertThat(out.version()).isEqualTo(1);
        assertThat(out.toDoubleArray()).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(warnings).isEmpty();
    }

    @Test
    void aNonEmptyOutOfAnotherShapeIsResizedWithPyTorchsWarning() {
        // out = torch.empty(2, 2); torch.add(a, torch.ones(3), out=out)
        // UserWarning: An output with one or more elements was resized since it had shape [2, 2], which does not match the required output shape [2, 3]. ...
        // out.shape -> (2, 3), len(out.storage()) -> 6; with out = torch.empty(10): (2, 3) and a storage of 10 still
        Tensor out = Tensor.empty(2, 2);
        out.addOut(a23(), Tensor.ones(3));
        assertThat(out.shape()).containsExactly(2, 3);
        assertThat(out.storage().size()).isEqualTo(6);
        assertThat(warnings).containsExactly(warning("[2, 2]", "[2, 3]"));
        Tensor big = Tensor.empty(10);
        big.mulOut(a23(), Tensor.ones(3));
        assertThat(big.shape()).containsExactly(2, 3);
        assertThat(big.storage().size()).isEqualTo(10);
        assertThat(big.toDoubleArray()).containsExactly(0, 1, 2, 3, 4, 5);
    }

    @Test
    void aResizedOutTakesTheLayoutTheResultWouldHave() {
        // out = torch.empty(0); torch.add(torch.zeros(3, 2).t(), torch.ones(3, 2).t(), out=out); out.stride() -> (1, 2)
        // out = torch.empty(0); torch.add(torch.ones(4, 3).t(), torch.ones(4), out=out); out.stride() -> (1, 3)
        // out = torch.empty(0, dtype=torch.float64); torch.mul(torch.ones(2, 3, 4).permute(2, 0, 1), torch.ones(4, 2, 3), out=out)
        // out.stride() -> (1, 12, 4)
        // out = torch.zeros(3, 2).t(); torch.add(torch.ones(2, 3), 1, out=out); out.stride() -> (1, 2): not resized, kept
        Tensor out = Tensor.empty(0);
        out.addOut(Tensor.zeros(3, 2).t(), Tensor.ones(3, 2).t());
        assertThat(out.strides()).containsExactly(1, 2);
        Tensor row = Tensor.empty(0);
        row.addOut(Tensor.ones(4, 3).t(), Tensor.ones(4));
        assertThat(row.strides()).containsExactly(1, 3);
        Tensor wide = Tensor.empty(new int[] {0}, DType.FLOAT64);
        wide.mulOut(Tensor.ones(2, 3, 4).permute(2, 0, 1), Tensor.ones(4, 2, 3));
        assertThat(wide.strides()).containsExactly(1, 12, 4);
        Tensor kept = Tensor.zeros(3, 2).t();
        kept.addOut(Tensor.ones(2, 3), Tensor.ones(2, 3));
        assertThat(kept.strides()).containsExactly(1, 2);
    }

    @Test
    void aViewOutIsResizedInPlaceOfItsBase() {
        // base = torch.zeros(10); o = base[2:4]; torch.add(torch.ones(3), torch.ones(3), out=o)
        // o.shape, o.storage_offset() -> (3,), 2; base -> [0, 0, 2, 2, 2, 0, 0, 0, 0, 0]
        Tensor base = Tensor.zeros(10), o = base.slice(0, 2, 4, 1);
        o.addOut(Tensor.ones(3), Tensor.ones(3));
        assertThat(o.shape()).containsExactly(3);
        assertThat(o.storageOffset()).isEqualTo(2);
        assertThat(base.toDoubleArray()).containsExactly(0, 0, 2, 2, 2, 0, 0, 0, 0, 0);
    }

    @Test
    void aDtypeMismatchFailsBeforeAnyResize() {
        // o = torch.empty(0, dtype=torch.long); torch.add(torch.zeros(2), torch.ones(2), out=o)
        // RuntimeError: result type Float can't be cast to the desired output type Long; o.shape -> (0,)
        Tensor o = Tensor.empty(new int[] {0}, DType.INT64);
        assertThatThrownBy(() -> o.addOut(Tensor.zeros(2), Tensor.ones(2))).hasMessage("result type Float can't be cast to the desired output type Long");
        assertThat(o.shape()).containsExactly(0);
    }

    @Test
    void anOutThatRequiresGradIsResizedUnderNoGrad() {
        // with torch.no_grad(): o = torch.empty(0, requires_grad=True); torch.add(torch.ones(2), torch.ones(2), out=o) -> o.shape (2,)
        // (without no_grad: add(): functions with out=... arguments don't support automatic differentiation, ...)
        Tensor o = Tensor.empty(0).requiresGrad_();
        assertThatThrownBy(() -> o.addOut(Tensor.ones(2), Tensor.ones(2)))
                .hasMessage("add(): functions with out=... arguments don't support automatic differentiation, but one of the arguments requires grad.");
        try (var g = GradMode.noGrad()) {
            o.addOut(Tensor.ones(2), Tensor.ones(2));
        }
        assertThat(o.shape()).containsExactly(2);
    }

    @Test
    void matmulResizesEachPathAsATen() {
        // o = torch.empty(0); torch.matmul(torch.ones(5, 2, 3), torch.ones(5, 3, 4), out=o) is o -> True; o.shape, o.stride() -> (5, 2, 4), (8, 4, 1)
        // o = torch.empty(2, 2); torch.matmul(torch.ones(2, 3), torch.ones(3, 4), out=o) -> warning, (2, 4), len(o.storage()) == 8
        // o = torch.empty(3); torch.matmul(torch.ones(5, 2, 3), torch.ones(3), out=o) -> warning, (5, 2), (2, 1)
        // o = torch.empty(7); torch.matmul(torch.ones(3), torch.ones(3), out=o) -> warning, o.shape == (), len(o.storage()) == 7
        Tensor o = Tensor.empty(0);
        assertThat(o.matmulOut(Tensor.ones(5, 2, 3), Tensor.ones(5, 3, 4))).isSameAs(o);
        assertThat(o.shape()).containsExactly(5, 2, 4);
        assertThat(o.strides()).containsExactly(8, 4, 1);
        assertThat(o.toDoubleArray()).containsOnly(3);
        assertThat(warnings).isEmpty();
        Tensor mm = Tensor.empty(2, 2).matmulOut(Tensor.ones(2, 3), Tensor.ones(3, 4));
        assertThat(mm.shape()).containsExactly(2, 4);
        assertThat(mm.storage().size()).isEqualTo(8);
        Tensor folded = Tensor.empty(3).matmulOut(Tensor.ones(5, 2, 3), Tensor.ones(3));
        assertThat(folded.shape()).containsExactly(5, 2);
        assertThat(folded.strides()).containsExactly(2, 1);
        Tensor dot = Tensor.empty(7).matmulOut(Tensor.ones(3), Tensor.ones(3));
        assertThat(dot.shape()).isEmpty();
        assertThat(dot.storage().size()).isEqualTo(7);
        assertThat(dot.item()).isEqualTo(3.0);
        assertThat(warnings).containsExactly(warning("[2, 2]", "[2, 4]"), warning("[3]", "[5, 2]"), warning("[7]", "[]"));
    }

    @Test
    void aVectorTimesAMatrixRunsMmIntoARowAndSqueezesIt() {
        // o = torch.empty(4); torch.matmul(torch.ones(3), torch.ones(3, 4), out=o)
        // warning: ... had shape [4], which does not match the required output shape [1, 4]. ...; o.shape (4,), o._version 2
        // o = torch.empty(1, 4): no warning, o.shape (4,), o._version 2
        Tensor o = Tensor.empty(4);
        o.matmulOut(Tensor.ones(3), Tensor.ones(3, 4));
        assertThat(o.shape()).containsExactly(4);
        assertThat(o.version()).isEqualTo(2);
        assertThat(warnings).containsExactly(warning("[4]", "[1, 4]"));
        Tensor row = Tensor.empty(1, 4);
        row.matmulOut(Tensor.ones(3), Tensor.ones(3, 4));
        assertThat(row.shape()).containsExactly(4);
        assertThat(row.version()).isEqualTo(2);
        assertThat(warnings).hasSize(1);
    }

    @Test
    void matmulChecksTheDtypeBeforeOrAfterResizingAsItsKernelDoes() {
        // o = torch.empty(0, dtype=torch.long); torch.matmul(torch.ones(2, 3), torch.ones(3, 4), out=o)
        // RuntimeError: Expected out tensor to have dtype float, but got long int instead; o.shape -> (0,)
        // the same with torch.ones(5, 2, 3) @ torch.ones(5, 3, 4): o.shape -> (5, 2, 4) (bmm's check comes after the resize)
        // o = torch.empty(0, dtype=torch.float64); torch.matmul(torch.ones(3), torch.ones(3), out=o)
        // RuntimeError: result dtype Double does not match input dtype Float; o.shape -> ()
        Tensor mm = Tensor.empty(new int[] {0}, DType.INT64);
        assertThatThrownBy(() -> mm.matmulOut(Tensor.ones(2, 3), Tensor.ones(3, 4))).hasMessage("Expected out tensor to have dtype float, but got long int instead");
        assertThat(mm.shape()).containsExactly(0);
        Tensor bmm = Tensor.empty(new int[] {0}, DType.INT64);
        assertThatThrownBy(() -> bmm.matmulOut(Tensor.ones(5, 2, 3), Tensor.ones(5, 3, 4))).hasMessage("Expected out tensor to have dtype float, but got long int instead");
        assertThat(bmm.shape()).containsExactly(5, 2, 4);
        Tensor dot = Tensor.empty(new int[] {0}, DType.FLOAT64);
        assertThatThrownBy(() -> dot.matmulOut(Tensor.ones(3), Tensor.ones(3))).hasMessage("result dtype Double does not match input dtype Float");
        assertThat(dot.shape()).isEmpty();
    }
}
