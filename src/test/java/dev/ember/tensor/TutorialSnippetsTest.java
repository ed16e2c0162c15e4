package dev.ember.tensor;

import dev.ember.autograd.Autograd;
import dev.ember.autograd.GradMode;
import dev.ember.nn.functional.F;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The tensor and autograd snippets of the tutorials our users learn from ({@code /work/shared/seeds/000..004}),
 * translated line by line: each Python line is the comment above its Java translation. Every expected string
 * is what the snippet printed when run on PyTorch 1.13.
 *
 * <p>Where a tutorial prints random values, the random tensor is replaced by fixed data here and in the
 * Python run (Ember's generator is not PyTorch's; only the distributions match), and the random factory's
 * shape and dtype are still checked. Python prints a size as {@code torch.Size([5, 3])} where Ember has an
 * {@code int[]}, a tuple of tensors as {@code (a, b)} where Ember has a {@code List}, and a grad_fn as
 * {@code <AddBackward0 object at 0x...>} where Ember prints {@code <AddBackward0>}: those are compared by
 * their content. NumPy and CUDA lines have no Java counterpart and are left out; nn layers and optimizers are
 * covered by their own tests.
 *
 * <p>Lines Ember cannot write as PyTorch does, and so not here: {@code x.t_()} and {@code torch.zeros(..., out=o)}
 * (a tensor's shape never changes in place), and {@code .data}, written {@code detach()}: the two differ only in
 * that an in-place write through {@code .data} is hidden from autograd's version check.
 */
class TutorialSnippetsTest {

    private static String size(Tensor t) { return Arrays.toString(t.shape()); }

    /** 000, the 60-minute blitz: "Tensors". */
    @Test
    void blitzTensors() {
        // x = torch.empty(5, 3)
        Tensor x = Tensor.empty(5, 3);
        assertThat(size(x)).isEqualTo("[5, 3]");
        // x = torch.rand(5, 3)
        x = Tensor.rand(5, 3);
        assertThat(size(x) + " " + x.dtype()).isEqualTo("[5, 3] torch.float32");
        // x = torch.zeros(5, 3, dtype=torch.long); print(x)
        x = Tensor.zeros(new int[] {5, 3}, DType.INT64);
        assertThat(x.toString()).isEqualTo("""
                tensor([[0, 0, 0],
                        [0, 0, 0],
                        [0, 0, 0],
                        [0, 0, 0],
                        [0, 0, 0]])""");
        // x = torch.tensor([5.5, 3]); print(x)
        x = Tensor.tensor(List.of(5.5, 3));
        assertThat(x.toString()).isEqualTo("tensor([5.5000, 3.0000])");
        // x = x.new_ones(5, 3, dtype=torch.double); print(x)
        x = x.newOnes(new int[] {5, 3}, DType.FLOAT64);
        assertThat(x.toString()).isEqualTo("""
                tensor([[1., 1., 1.],
                        [1., 1., 1.],
                        [1., 1., 1.],
                        [1., 1., 1.],
                        [1., 1., 1.]], dtype=torch.float64)""");
        // x = torch.randn_like(x, dtype=torch.float)
        x = Tensor.randnLike(x, DType.FLOAT32);
        // print(x.size())   -> torch.Size([5, 3])
        assertThat(size(x) + " " + x.dtype()).isEqualTo("[5, 3] torch.float32");
    }

    /** 000: "Operations" (addition four ways, indexing, view, item). */
    @Test
    void blitzOperations() {
        // x, y = fixed 5x3 data (the tutorial's are random)
        Tensor x = Tensor.tensor(new float[][] {{0.1f, 0.2f, 0.3f}, {0.4f, 0.5f, 0.6f}, {0.7f, 0.8f, 0.9f}, {1.0f, 1.1f, 1.2f}, {1.3f, 1.4f, 1.5f}});
        Tensor y = Tensor.tensor(new float[][] {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}, {10, 11, 12}, {13, 14, 15}});
        String sum = """
                tensor([[ 1.1000,  2.2000,  3.3000],
                        [ 4.4000,  5.5000,  6.6000],
                        [ 7.7000,  8.8000,  9.9000],
                        [11.0000, 12.1000, 13.2000],
                        [14.3000, 15.4000, 16.5000]])""";
        // print(x + y)
        assertThat(x.add(y).toString()).isEqualTo(sum);
        // print(torch.add(x, y))
        assertThat(x.add(y).toString()).isEqualTo(sum);
        // result = torch.empty(5, 3)
        Tensor result = Tensor.empty(5, 3);
        // torch.add(x, y, out=result); print(result)
        result.addOut(x, y);
        assertThat(result.toString()).isEqualTo(sum);
        // y.add_(x); print(y)
        y.add_(x);
        assertThat(y.toString()).isEqualTo(sum);
        // print(x[:, 1])
        assertThat(x.index(":, 1").toString()).isEqualTo("tensor([0.2000, 0.5000, 0.8000, 1.1000, 1.4000])");

        // x = torch.arange(16.).view(4, 4)   (the tutorial's is torch.randn(4, 4))
        x = Tensor.arange(16.0).view(4, 4);
        // y = x.view(16); z = x.view(-1, 8)
        y = x.view(16);
        Tensor z = x.view(-1, 8);
        // print(x.size(), y.size(), z.size())   -> torch.Size([4, 4]) torch.Size([16]) torch.Size([2, 8])
        assertThat(size(x) + " " + size(y) + " " + size(z)).isEqualTo("[4, 4] [16] [2, 8]");

        // x = torch.tensor([0.4963]); print(x); print(x.item())   (the tutorial's is torch.randn(1))
        x = Tensor.tensor(List.of(0.4963));
        assertThat(x.toString()).isEqualTo("tensor([0.4963])");
        assertThat(String.valueOf(x.item())).isEqualTo("0.49630001187324524");

        // b = torch.zeros(2, 2); b.copy_(torch.tensor([[1., 3.], [2., 4.]])); print(b)
        Tensor b = Tensor.zeros(2, 2);
        b.copy_(Tensor.tensor(List.of(List.of(1., 3.), List.of(2., 4.))));
        assertThat(b.toString()).isEqualTo("tensor([[1., 3.],\n        [2., 4.]])");
    }

    /** 000: "Autograd" and "Gradients". */
    @Test
    void blitzAutograd() {
        // x = torch.ones(2, 2, requires_grad=True); print(x)
        Tensor x = Tensor.ones(2, 2).requiresGrad_();
        assertThat(x.toString()).isEqualTo("tensor([[1., 1.],\n        [1., 1.]], requires_grad=True)");
        // y = x + 2; print(y)
        Tensor y = x.add(2.0);
        assertThat(y.toString()).isEqualTo("tensor([[3., 3.],\n        [3., 3.]], grad_fn=<AddBackward0>)");
        // print(y.grad_fn)   -> <AddBackward0 object at 0x...>
        assertThat(y.gradFn().name()).isEqualTo("AddBackward0");
        // z = y * y * 3; out = z.mean(); print(z, out)
        Tensor z = y.mul(y).mul(3L);
        Tensor out = z.mean();
        assertThat(z + " " + out).isEqualTo("""
                tensor([[27., 27.],
                        [27., 27.]], grad_fn=<MulBackward0>) tensor(27., grad_fn=<MeanBackward0>)""");

        // a = torch.tensor([[2., 3.], [4., 5.]])   (the tutorial's is torch.randn(2, 2))
        Tensor a = Tensor.tensor(List.of(List.of(2., 3.), List.of(4., 5.)));
        // a = ((a * 3) / (a - 1)); print(a.requires_grad)
        a = a.mul(3L).div(a.sub(1L));
        assertThat(a.requiresGrad()).isFalse();
        // a.requires_grad_(True); print(a.requires_grad)
        a.requiresGrad_(true);
        assertThat(a.requiresGrad()).isTrue();
        // print(y.grad_fn.next_functions)   -> ((<AccumulateGrad object at 0x...>, 0), (None, 0)); Ember's None is a null edge
        assertThat(y.gradFn().nextFunctions().get(0).node().toString()).isEqualTo("<AccumulateGrad>");
        assertThat(y.gradFn().nextFunctions().get(1)).isNull();
        // b = (a * a).sum(); print(b.grad_fn)   -> <SumBackward0 object at 0x...>
        Tensor b = a.mul(a).sum();
        assertThat(b.gradFn().name()).isEqualTo("SumBackward0");

        // z.backward()   -> RuntimeError: grad can be implicitly created only for scalar outputs
        assertThatThrownBy(z::backward).hasMessage("grad can be implicitly created only for scalar outputs");
        // out.backward(); print(x.grad)
        out.backward();
        assertThat(x.grad().toString()).isEqualTo("tensor([[4.5000, 4.5000],\n        [4.5000, 4.5000]])");

        // x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)   (the tutorial's is torch.randn(3, requires_grad=True))
        x = Tensor.tensor(List.of(0.5, -1.0, 2.0)).requiresGrad_();
        // y = x * 2
        y = x.mul(2L);
        // while y.data.norm() < 1000: y = y * 2
        while (y.detach().norm().item() < 1000) y = y.mul(2L);
        // print(y)
        assertThat(y.toString()).isEqualTo("tensor([ 256., -512., 1024.], grad_fn=<MulBackward0>)");
        // v = torch.tensor([0.1, 1.0, 0.0001], dtype=torch.float)
        Tensor v = Tensor.tensor(List.of(0.1, 1.0, 0.0001), DType.FLOAT32);
        // y.backward(v); print(x.grad)
        y.backward(v);
        assertThat(x.grad().toString()).isEqualTo("tensor([5.1200e+01, 5.1200e+02, 5.1200e-02])");
        // print(x.requires_grad); print((x ** 2).requires_grad)
        assertThat(x.requiresGrad()).isTrue();
        assertThat(x.pow(2L).requiresGrad()).isTrue();
        // with torch.no_grad(): print((x ** 2).requires_grad)
        try (var g = GradMode.noGrad()) {
            assertThat(x.pow(2L).requiresGrad()).isFalse();
        }

        // "out.backward() is the same as out.backward(torch.tensor(1))": an int64 gradient for a float output
        // x = torch.ones(2, 2, requires_grad=True); out = (x * 3).mean()
        x = Tensor.ones(2, 2).requiresGrad_();
        out = x.mul(3L).mean();
        // out.backward(torch.tensor(1)); print(x.grad)
        out.backward(Tensor.tensor(1L));
        assertThat(x.grad().toString()).isEqualTo("tensor([[0.7500, 0.7500],\n        [0.7500, 0.7500]])");
    }

    /**
     * 000: "Loss function", "Backprop" and "Update the weights". The network's last layers are written with
     * fixed weights as {@code fc3(relu(fc2(x)))} = {@code F.linear(F.relu(F.linear(x, w1, b1)), w2, b2)}.
     */
    @Test
    void blitzLossAndWeightUpdate() {
        Tensor w1 = Tensor.linspace(-1, 1, 12).view(3, 4).requiresGrad_();
        Tensor b1 = Tensor.tensor(List.of(0.1, -0.2, 0.3)).requiresGrad_();
        Tensor w2 = Tensor.linspace(-0.5, 0.5, 30).view(10, 3).requiresGrad_();
        Tensor b2 = Tensor.zeros(10).requiresGrad_();
        Tensor input = Tensor.tensor(List.of(List.of(1., 2., 3., 4.)));
        // output = net(input)
        Tensor output = F.linear(F.relu(F.linear(input, w1, b1)), w2, b2);
        // target = torch.arange(1, 11)  # a dummy target, for example
        Tensor target = Tensor.arange(1, 11);
        // target = target.view(1, -1)  # make it the same shape as output
        target = target.view(1, -1);
        assertThat(target.toString()).isEqualTo("tensor([[ 1,  2,  3,  4,  5,  6,  7,  8,  9, 10]])");
        // criterion = nn.MSELoss(); loss = criterion(output, target); print(loss)
        Tensor loss = F.mseLoss(output, target);
        assertThat(loss.toString()).isEqualTo("tensor(27.1383, grad_fn=<MseLossBackward0>)");
        // print(loss.grad_fn)  # MSELoss
        assertThat(loss.gradFn().toString()).isEqualTo("<MseLossBackward0>");
        // print(loss.grad_fn.next_functions[0][0])  # Linear
        assertThat(loss.gradFn().nextFunctions().get(0).node().toString()).isEqualTo("<AddmmBackward0>");
        // print(loss.grad_fn.next_functions[0][0].next_functions[0][0])  # ReLU   (it is fc3's bias: AccumulateGrad)
        assertThat(loss.gradFn().nextFunctions().get(0).node().nextFunctions().get(0).node().toString()).isEqualTo("<AccumulateGrad>");
        // print(net.conv1.bias.grad)   -> None (before backward)
        assertThat(b1.grad()).isNull();
        // loss.backward()   -> RuntimeError: Found dtype Long but expected Float (the int64 target; later blitz versions use torch.randn(10))
        Tensor intTargetLoss = loss;
        assertThatThrownBy(intTargetLoss::backward).hasMessage("Found dtype Long but expected Float");
        // loss = criterion(output, target.float()); loss.backward(); print(net.conv1.bias.grad)
        loss = F.mseLoss(output, target.to(DType.FLOAT32));
        loss.backward();
        assertThat(b1.grad().toString()).isEqualTo("tensor([ 0.0000, -0.0840, -0.4431])");

        // f = torch.tensor([1., 2.], requires_grad=True); (f * f).sum().backward()   (a parameter with a grad)
        Tensor f = Tensor.tensor(List.of(1., 2.)).requiresGrad_();
        f.mul(f).sum().backward();
        // f.data.sub_(f.grad.data * learning_rate); print(f)   (.data is detach() in Ember)
        double learningRate = 0.01;
        f.detach().sub_(f.grad().detach().mul(learningRate));
        assertThat(f.toString()).isEqualTo("tensor([0.9800, 1.9600], requires_grad=True)");
    }

    /** 001, "Tensor creation": direct, by value and by distribution. */
    @Test
    void creation() {
        // x = torch.tensor([[1., 2.], [3., 4.]])
        Tensor x = Tensor.tensor(List.of(List.of(1., 2.), List.of(3., 4.)));
        // print(torch.zeros_like(x))
        assertThat(Tensor.zerosLike(x).toString()).isEqualTo("tensor([[0., 0.],\n        [0., 0.]])");
        // print(torch.ones((2, 3)))
        assertThat(Tensor.ones(2, 3).toString()).isEqualTo("tensor([[1., 1., 1.],\n        [1., 1., 1.]])");
        // print(torch.ones_like(x))
        assertThat(Tensor.onesLike(x).toString()).isEqualTo("tensor([[1., 1.],\n        [1., 1.]])");
        // print(torch.full((2, 2), 3.5))
        assertThat(Tensor.full(new int[] {2, 2}, 3.5).toString()).isEqualTo("tensor([[3.5000, 3.5000],\n        [3.5000, 3.5000]])");
        // print(torch.full_like(x, 7))
        assertThat(Tensor.fullLike(x, 7L).toString()).isEqualTo("tensor([[7., 7.],\n        [7., 7.]])");
        // print(torch.arange(2, 10, 2))
        assertThat(Tensor.arange(2, 10, 2).toString()).isEqualTo("tensor([2, 4, 6, 8])");
        // print(torch.linspace(2, 10, 6))
        assertThat(Tensor.linspace(2, 10, 6).toString()).isEqualTo("tensor([ 2.0000,  3.6000,  5.2000,  6.8000,  8.4000, 10.0000])");
        // print(torch.logspace(0, 2, 3))
        assertThat(Tensor.logspace(0, 2, 3).toString()).isEqualTo("tensor([  1.,  10., 100.])");
        // print(torch.empty((2, 3)).shape)
        assertThat(size(Tensor.empty(2, 3))).isEqualTo("[2, 3]");
        // print(torch.eye(3))
        assertThat(Tensor.eye(3).toString()).isEqualTo("""
                tensor([[1., 0., 0.],
                        [0., 1., 0.],
                        [0., 0., 1.]])""");
        // print(torch.normal(torch.zeros(4), torch.ones(4)).shape)
        assertThat(size(Tensor.normal(Tensor.zeros(4), Tensor.ones(4)))).isEqualTo("[4]");
        // print(torch.normal(0., 1., size=(2, 3)).shape)
        assertThat(size(Tensor.normal(0., 1., 2, 3))).isEqualTo("[2, 3]");
        // print(torch.rand(2, 3).dtype, torch.rand_like(x).shape)
        assertThat(Tensor.rand(2, 3).dtype() + " " + size(Tensor.randLike(x))).isEqualTo("torch.float32 [2, 2]");
        // print(torch.randint(3, 10, (2, 2)).dtype)
        assertThat(Tensor.randint(3, 10, 2, 2).dtype().toString()).isEqualTo("torch.int64");
        // print(torch.randint_like(x, 10).dtype)
        assertThat(Tensor.randintLike(x, 0, 10).dtype().toString()).isEqualTo("torch.float32");
        // print(torch.randn(2, 3).shape, torch.randn_like(x).dtype)
        assertThat(size(Tensor.randn(2, 3)) + " " + Tensor.randnLike(x).dtype()).isEqualTo("[2, 3] torch.float32");
        // print(torch.randperm(4).dtype, torch.randperm(4).sort().values)
        assertThat(Tensor.randperm(4).dtype() + " " + Tensor.randperm(4).sort().values()).isEqualTo("torch.int64 tensor([0, 1, 2, 3])");
        // print(torch.bernoulli(torch.full((3,), 0.5)).dtype)
        assertThat(Tensor.bernoulli(Tensor.full(new int[] {3}, 0.5)).dtype().toString()).isEqualTo("torch.float32");
        // torch.manual_seed(42); print(torch.initial_seed())
        Tensor.manualSeed(42);
        assertThat(Tensor.initialSeed()).isEqualTo(42);
    }

    /** 001, "Tensor operations": the functions the tutorial lists, with its own examples where it gives one. */
    @Test
    void manipulation() {
        // print(torch.cat([torch.zeros(2, 2), torch.ones(1, 2)], dim=0))
        assertThat(Tensor.cat(List.of(Tensor.zeros(2, 2), Tensor.ones(1, 2)), 0).toString()).isEqualTo("""
                tensor([[0., 0.],
                        [0., 0.],
                        [1., 1.]])""");
        // print(torch.chunk(torch.arange(6), 3))   -> (tensor([0, 1]), tensor([2, 3]), tensor([4, 5]))
        assertThat(Tensor.arange(6).chunk(3).toString()).isEqualTo("[tensor([0, 1]), tensor([2, 3]), tensor([4, 5])]");
        // a = torch.arange(5)
        Tensor a = Tensor.arange(5);
        // print(torch.split(a, [1, 4]))   -> (tensor([0]), tensor([1, 2, 3, 4]))
        assertThat(a.splitWithSizes(new int[] {1, 4}, 0).toString()).isEqualTo("[tensor([0]), tensor([1, 2, 3, 4])]");
        // print(torch.split(a, 2))   -> (tensor([0, 1]), tensor([2, 3]), tensor([4]))
        assertThat(a.split(2).toString()).isEqualTo("[tensor([0, 1]), tensor([2, 3]), tensor([4])]");
        // x = torch.arange(6).view(2, 3)
        Tensor x = Tensor.arange(6).view(2, 3);
        // print(torch.narrow(x, 0, 0, 2))
        assertThat(x.narrow(0, 0, 2).toString()).isEqualTo("tensor([[0, 1, 2],\n        [3, 4, 5]])");
        // print(torch.narrow(x, 1, 1, 2))
        assertThat(x.narrow(1, 1, 2).toString()).isEqualTo("tensor([[1, 2],\n        [4, 5]])");
        // print(torch.nonzero(torch.tensor([1, 1, 1, 0, 1])))
        assertThat(Tensor.tensor(List.of(1, 1, 1, 0, 1)).nonzero().toString()).isEqualTo("""
                tensor([[0],
                        [1],
                        [2],
                        [4]])""");
        // src = torch.tensor([[4, 3, 5], [6, 7, 8]]); print(torch.take(src, torch.tensor([0, 2, 5])))
        Tensor src = Tensor.tensor(List.of(List.of(4, 3, 5), List.of(6, 7, 8)));
        assertThat(src.take(Tensor.tensor(List.of(0, 2, 5))).toString()).isEqualTo("tensor([4, 5, 8])");
        // y = torch.tensor([1, 2, 3]); print(torch.tile(y, (2,)))
        Tensor y = Tensor.tensor(List.of(1, 2, 3));
        assertThat(y.tile(2).toString()).isEqualTo("tensor([1, 2, 3, 1, 2, 3])");
        // y2 = torch.tensor([[1, 2], [3, 4]]); print(torch.tile(y2, (2, 2)))
        Tensor y2 = Tensor.tensor(List.of(List.of(1, 2), List.of(3, 4)));
        assertThat(y2.tile(2, 2).toString()).isEqualTo("""
                tensor([[1, 2, 1, 2],
                        [3, 4, 3, 4],
                        [1, 2, 1, 2],
                        [3, 4, 3, 4]])""");
        // t = torch.zeros(1, 3, 224, 224); print(t.squeeze().shape)
        Tensor t = Tensor.zeros(1, 3, 224, 224);
        assertThat(size(t.squeeze())).isEqualTo("[3, 224, 224]");
        String transposed = "tensor([[0, 3],\n        [1, 4],\n        [2, 5]])";
        // print(torch.movedim(x, 1, 0)); print(torch.movedim(x, 1, 0).shape)
        assertThat(x.movedim(1, 0).toString()).isEqualTo(transposed);
        assertThat(size(x.movedim(1, 0))).isEqualTo("[3, 2]");
        // print(torch.stack([torch.tensor([1, 2]), torch.tensor([3, 4])]))
        List<Tensor> pair = List.of(Tensor.tensor(List.of(1, 2)), Tensor.tensor(List.of(3, 4)));
        assertThat(Tensor.stack(pair).toString()).isEqualTo("tensor([[1, 2],\n        [3, 4]])");
        // print(torch.stack([torch.tensor([1, 2]), torch.tensor([3, 4])], dim=1))
        assertThat(Tensor.stack(pair, 1).toString()).isEqualTo("tensor([[1, 3],\n        [2, 4]])");
        // print(torch.unbind(torch.tensor([[1], [2], [3]])))   -> (tensor([1]), tensor([2]), tensor([3]))
        assertThat(Tensor.tensor(List.of(List.of(1), List.of(2), List.of(3))).unbind().toString())
                .isEqualTo("[tensor([1]), tensor([2]), tensor([3])]");
        // print(x.unsqueeze(0).shape)
        assertThat(size(x.unsqueeze(0))).isEqualTo("[1, 2, 3]");
        // print(x.permute(1, 0)); print(x.transpose(0, 1)); print(x.t())
        assertThat(x.permute(1, 0).toString()).isEqualTo(transposed);
        assertThat(x.transpose(0, 1).toString()).isEqualTo(transposed);
        assertThat(x.t().toString()).isEqualTo(transposed);
        // print(x.reshape(3, 2)); print(x.view(-1))
        assertThat(x.reshape(3, 2).toString()).isEqualTo("tensor([[0, 1],\n        [2, 3],\n        [4, 5]])");
        assertThat(x.view(-1).toString()).isEqualTo("tensor([0, 1, 2, 3, 4, 5])");
        // print(torch.gather(torch.tensor([[1, 2], [3, 4]]), 1, torch.tensor([[0, 0], [1, 0]])))
        assertThat(y2.gather(1, Tensor.tensor(List.of(List.of(0, 0), List.of(1, 0)))).toString()).isEqualTo("tensor([[1, 1],\n        [4, 3]])");
        // print(torch.index_select(x, 1, torch.tensor([0, 2])))
        assertThat(x.indexSelect(1, Tensor.tensor(List.of(0, 2))).toString()).isEqualTo("tensor([[0, 2],\n        [3, 5]])");
        // print(torch.masked_select(x, x.ge(3)))
        assertThat(x.maskedSelect(x.ge(3L)).toString()).isEqualTo("tensor([3, 4, 5])");
        // print(torch.where(x > 2, x, torch.zeros_like(x)))
        assertThat(Tensor.where(x.gt(2L), x, Tensor.zerosLike(x)).toString()).isEqualTo("tensor([[0, 0, 0],\n        [3, 4, 5]])");
        // print(torch.flip(x, [0]))
        assertThat(x.flip(0).toString()).isEqualTo("tensor([[3, 4, 5],\n        [0, 1, 2]])");
        // print(torch.hstack([torch.tensor([1, 2]), torch.tensor([3, 4])]))
        assertThat(Tensor.hstack(pair).toString()).isEqualTo("tensor([1, 2, 3, 4])");
        // print(torch.vstack([torch.tensor([1, 2]), torch.tensor([3, 4])]))
        assertThat(Tensor.vstack(pair).toString()).isEqualTo("tensor([[1, 2],\n        [3, 4]])");
        // print(torch.hsplit(torch.arange(6), 3))   -> (tensor([0, 1]), tensor([2, 3]), tensor([4, 5]))
        assertThat(Tensor.arange(6).hsplit(3).toString()).isEqualTo("[tensor([0, 1]), tensor([2, 3]), tensor([4, 5])]");
        // print(torch.tensor_split(torch.arange(8), [2, 3]))   -> input[:2], input[2:3], input[3:]
        assertThat(Tensor.arange(8).tensorSplit(new int[] {2, 3}, 0).toString()).isEqualTo("[tensor([0, 1]), tensor([2]), tensor([3, 4, 5, 6, 7])]");
        // s = torch.tensor([[10., 30., 20.], [60., 40., 50.]])
        Tensor s = Tensor.tensor(List.of(List.of(10., 30., 20.), List.of(60., 40., 50.)));
        // print(torch.take_along_dim(s, torch.argmax(s)))
        assertThat(s.takeAlongDim(s.argmax(), null).toString()).isEqualTo("tensor([60.])");
        // print(torch.take_along_dim(s, torch.argsort(s, dim=1), dim=1))
        assertThat(s.takeAlongDim(s.argsort(1, false), 1).toString()).isEqualTo("tensor([[10., 20., 30.],\n        [40., 50., 60.]])");
    }

    /** 001, "scatter_": the tutorial's example, output as printed. */
    @Test
    void scatter() {
        // t = torch.zeros(3, 3); print(t)
        Tensor t = Tensor.zeros(3, 3);
        assertThat(t.toString()).isEqualTo("tensor([[0., 0., 0.],\n        [0., 0., 0.],\n        [0., 0., 0.]])");
        // index = torch.tensor([[0, 1, 2]])
        Tensor index = Tensor.tensor(List.of(List.of(0, 1, 2)));
        // src = torch.tensor([[-1.0, -2.0, -3.0]])
        Tensor src = Tensor.tensor(List.of(List.of(-1.0, -2.0, -3.0)));
        // t.scatter_(0, index, src); print(t)   (the tutorial's comment claims row 1 becomes -1, -2, -3; it is the diagonal)
        t.scatter_(0, index, src);
        assertThat(t.toString()).isEqualTo("""
                tensor([[-1.,  0.,  0.],
                        [ 0., -2.,  0.],
                        [ 0.,  0., -3.]])""");
    }

    /** 001, "Math operations": pointwise, reduction, comparison, other and BLAS examples. */
    @Test
    void mathOperations() {
        // t = torch.tensor([[-1.5, 2.0], [0.5, -3.0]])
        Tensor t = Tensor.tensor(List.of(List.of(-1.5, 2.0), List.of(0.5, -3.0)));
        // print(torch.abs(t))
        assertThat(t.abs().toString()).isEqualTo("tensor([[1.5000, 2.0000],\n        [0.5000, 3.0000]])");
        // print(torch.cos(t))
        assertThat(t.cos().toString()).isEqualTo("tensor([[ 0.0707, -0.4161],\n        [ 0.8776, -0.9900]])");
        // print(torch.sin(t))
        assertThat(t.sin().toString()).isEqualTo("tensor([[-0.9975,  0.9093],\n        [ 0.4794, -0.1411]])");
        // print(torch.floor(t))
        assertThat(t.floor().toString()).isEqualTo("tensor([[-2.,  2.],\n        [ 0., -3.]])");
        // print(torch.floor_divide(t, 2))
        assertThat(t.floorDivide(2L).toString()).isEqualTo("tensor([[-1.,  1.],\n        [ 0., -2.]])");
        // print(torch.pow(t, 2))
        assertThat(t.pow(2L).toString()).isEqualTo("tensor([[2.2500, 4.0000],\n        [0.2500, 9.0000]])");
        // print(torch.argmax(t)); print(torch.argmin(t, dim=1))
        assertThat(t.argmax().toString()).isEqualTo("tensor(1)");
        assertThat(t.argmin(1).toString()).isEqualTo("tensor([0, 1])");
        // print(torch.all(t > -4)); print(torch.any(t > 1))
        assertThat(t.gt(-4L).all().toString()).isEqualTo("tensor(True)");
        assertThat(t.gt(1L).any().toString()).isEqualTo("tensor(True)");
        // print(torch.mean(t)); print(torch.norm(t)); print(torch.var(t))
        assertThat(t.mean().toString()).isEqualTo("tensor(-0.5000)");
        assertThat(t.norm().toString()).isEqualTo("tensor(3.9370)");
        assertThat(t.var().toString()).isEqualTo("tensor(4.8333)");
        // print(torch.ge(t, 0.5)); print(torch.gt(t, 0.5)); print(torch.le(t, 0.5)); print(torch.lt(t, 0.5)); print(torch.eq(t, 0.5))
        assertThat(t.ge(0.5).toString()).isEqualTo("tensor([[False,  True],\n        [ True, False]])");
        assertThat(t.gt(0.5).toString()).isEqualTo("tensor([[False,  True],\n        [False, False]])");
        assertThat(t.le(0.5).toString()).isEqualTo("tensor([[ True, False],\n        [ True,  True]])");
        assertThat(t.lt(0.5).toString()).isEqualTo("tensor([[ True, False],\n        [False,  True]])");
        assertThat(t.eq(0.5).toString()).isEqualTo("tensor([[False, False],\n        [ True, False]])");
        // print(torch.argsort(t, dim=1)); print(torch.isnan(t))
        assertThat(t.argsort(1, false).toString()).isEqualTo("tensor([[0, 1],\n        [1, 0]])");
        assertThat(t.isnan().toString()).isEqualTo("tensor([[False, False],\n        [False, False]])");
        // print(torch.topk(t.flatten(), 2))   -> torch.return_types.topk(values=tensor([2.0000, 0.5000]), indices=tensor([1, 2]))
        Tensor.ValuesIndices top = t.flatten().topk(2);
        assertThat(top.values().toString()).isEqualTo("tensor([2.0000, 0.5000])");
        assertThat(top.indices().toString()).isEqualTo("tensor([1, 2])");
        // print(torch.clone(t)); print(torch.diag(t)); print(torch.flip(t, [1]))
        assertThat(t.clone().toString()).isEqualTo("tensor([[-1.5000,  2.0000],\n        [ 0.5000, -3.0000]])");
        assertThat(t.diag().toString()).isEqualTo("tensor([-1.5000, -3.0000])");
        assertThat(t.flip(1).toString()).isEqualTo("tensor([[ 2.0000, -1.5000],\n        [-3.0000,  0.5000]])");
        // print(torch.addmm(torch.ones(2, 2), t, t))
        assertThat(Tensor.addmm(Tensor.ones(2, 2), t, t).toString()).isEqualTo("tensor([[ 4.2500, -8.0000],\n        [-1.2500, 11.0000]])");
        // print(torch.dot(torch.tensor([1., 2.]), torch.tensor([3., 4.])))
        assertThat(Tensor.tensor(List.of(1., 2.)).dot(Tensor.tensor(List.of(3., 4.))).toString()).isEqualTo("tensor(11.)");
        // print(torch.inner(torch.tensor([1., 2.]), torch.tensor([3., 4.])))
        assertThat(Tensor.tensor(List.of(1., 2.)).inner(Tensor.tensor(List.of(3., 4.))).toString()).isEqualTo("tensor(11.)");
    }

    /** 001, "Computational graphs": leaves, retained grads and grad_fn of y = (w + x) * (w + 1). */
    @Test
    void computationalGraph() {
        // w = torch.tensor([1.], requires_grad=True); x = torch.tensor([2.], requires_grad=True)
        Tensor w = Tensor.tensor(List.of(1.)).requiresGrad_();
        Tensor x = Tensor.tensor(List.of(2.)).requiresGrad_();
        // a = torch.add(w, x); b = torch.add(w, 1); y = torch.mul(a, b)
        Tensor a = w.add(x);
        Tensor b = w.add(1L);
        Tensor y = a.mul(b);
        // a.retain_grad()
        a.retainGrad();
        // y.backward(); print(w.grad)
        y.backward();
        assertThat(w.grad().toString()).isEqualTo("tensor([5.])");
        // print("is_leaf:\n", w.is_leaf, x.is_leaf, a.is_leaf, b.is_leaf, y.is_leaf)
        assertThat(List.of(w.isLeaf(), x.isLeaf(), a.isLeaf(), b.isLeaf(), y.isLeaf())).containsExactly(true, true, false, false, false);
        // print("gradient:\n", w.grad, x.grad, a.grad, b.grad, y.grad)   -> tensor([5.]) tensor([2.]) tensor([2.]) None None
        assertThat(w.grad() + " " + x.grad() + " " + a.grad() + " " + b.grad() + " " + y.grad())
                .isEqualTo("tensor([5.]) tensor([2.]) tensor([2.]) null null");
        // print("grad_fn:\n", w.grad_fn, x.grad_fn, a.grad_fn, b.grad_fn, y.grad_fn)
        //   -> None None <AddBackward0 object at ...> <AddBackward0 object at ...> <MulBackward0 object at ...>
        assertThat(w.gradFn()).isNull();
        assertThat(x.gradFn()).isNull();
        assertThat(a.gradFn().name() + " " + b.gradFn().name() + " " + y.gradFn().name()).isEqualTo("AddBackward0 AddBackward0 MulBackward0");
    }

    /** 001, "torch.autograd.backward", "torch.autograd.grad", "gradients are not zeroed", retain_graph. */
    @Test
    void autogradFunctions() {
        // w = torch.tensor([1.], requires_grad=True); x = torch.tensor([2.], requires_grad=True)
        Tensor w = Tensor.tensor(List.of(1.)).requiresGrad_();
        Tensor x = Tensor.tensor(List.of(2.)).requiresGrad_();
        // a = torch.add(w, x); b = torch.add(w, 1)
        Tensor a = w.add(x);
        Tensor b = w.add(1L);
        // y0 = torch.mul(a, b); y1 = torch.add(a, b)
        Tensor y0 = a.mul(b);
        Tensor y1 = a.add(b);
        // loss = torch.cat([y0, y1], dim=0)
        Tensor loss = Tensor.cat(List.of(y0, y1), 0);
        // grad_tensors = torch.tensor([1., 2.])
        Tensor gradTensors = Tensor.tensor(List.of(1., 2.));
        // torch.autograd.backward(loss, grad_tensors=grad_tensors); print(w.grad)
        Autograd.backward(new Tensor[] {loss}, new Tensor[] {gradTensors}, false, false);
        assertThat(w.grad().toString()).isEqualTo("tensor([9.])");

        // x = torch.tensor([3.], requires_grad=True); y = torch.pow(x, 2)
        x = Tensor.tensor(List.of(3.)).requiresGrad_();
        Tensor y = x.pow(2L);
        // grad_1 = torch.autograd.grad(y, x, create_graph=True); print(grad_1)   -> (tensor([6.], grad_fn=<MulBackward0>),)
        Tensor[] grad1 = Autograd.grad(new Tensor[] {y}, new Tensor[] {x}, null, true, true);
        assertThat(grad1[0].toString()).isEqualTo("tensor([6.], grad_fn=<MulBackward0>)");
        // grad_2 = torch.autograd.grad(grad_1[0], x); print(grad_2)   -> (tensor([2.]),)
        Tensor[] grad2 = Autograd.grad(grad1[0], x);
        assertThat(grad2[0].toString()).isEqualTo("tensor([2.])");

        // w = torch.tensor([1.], requires_grad=True); x = torch.tensor([2.], requires_grad=True)
        w = Tensor.tensor(List.of(1.)).requiresGrad_();
        x = Tensor.tensor(List.of(2.)).requiresGrad_();
        // for i in range(4):
        for (int i = 0; i < 4; i++) {
            // a = torch.add(w, x); b = torch.add(w, 1); y = torch.mul(a, b)
            a = w.add(x);
            b = w.add(1L);
            y = a.mul(b);
            // y.backward(); print(w.grad)
            y.backward();
            assertThat(w.grad().toString()).isEqualTo("tensor([5.])");
            // w.grad.zero_()
            w.grad().zero_();
        }
        // a = torch.add(w, x); b = torch.add(w, 1); y = torch.mul(a, b)
        a = w.add(x);
        b = w.add(1L);
        y = a.mul(b);
        // print(a.requires_grad, b.requires_grad, y.requires_grad)
        assertThat(List.of(a.requiresGrad(), b.requiresGrad(), y.requiresGrad())).containsExactly(true, true, true);
        // y.backward(retain_graph=True); y.backward(); print(w.grad)
        y.backward(null, true);
        y.backward();
        assertThat(w.grad().toString()).isEqualTo("tensor([10.])");
        // w.grad.data.zero_(); print(w.grad)
        w.grad().detach().zero_();
        assertThat(w.grad().toString()).isEqualTo("tensor([0.])");
    }

    /** 001, "Leaf tensors cannot be changed in place", requires_grad_, and the clone().detach() way out. */
    @Test
    void inPlaceOnLeaves() {
        // a = torch.ones((1,)); a = a + torch.ones((1,)); print(a)
        Tensor a = Tensor.ones(1);
        a = a.add(Tensor.ones(1));
        assertThat(a.toString()).isEqualTo("tensor([2.])");
        // a += torch.ones((1,)); print(a)
        a.add_(Tensor.ones(1));
        assertThat(a.toString()).isEqualTo("tensor([3.])");

        // w = torch.tensor([1.], requires_grad=True); x = torch.tensor([2.], requires_grad=True)
        Tensor w = Tensor.tensor(List.of(1.)).requiresGrad_();
        Tensor x = Tensor.tensor(List.of(2.)).requiresGrad_();
        // a = torch.add(w, x); b = torch.add(w, 1); y = torch.mul(a, b)
        a = w.add(x);
        Tensor b = w.add(1L);
        Tensor y = a.mul(b);
        // w.add_(1)   -> RuntimeError: a leaf Variable that requires grad is being used in an in-place operation.
        Tensor leaf = w;
        assertThatThrownBy(() -> leaf.add_(1.0)).hasMessage("a leaf Variable that requires grad is being used in an in-place operation.");
        // with torch.no_grad(): w.add_(1)
        try (var g = GradMode.noGrad()) {
            w.add_(1.0);
        }
        // print(w)
        assertThat(w.toString()).isEqualTo("tensor([2.], requires_grad=True)");
        // w2 = w.clone().detach().requires_grad_(True); print(w2, w2.is_leaf)
        Tensor w2 = w.clone().detach().requiresGrad_(true);
        assertThat(w2 + " " + w2.isLeaf()).isEqualTo("tensor([2.], requires_grad=True) true");
        // x = torch.tensor([1., 2.], requires_grad=True); x.requires_grad_(False); print(x.requires_grad)
        x = Tensor.tensor(List.of(1., 2.)).requiresGrad_();
        x.requiresGrad_(false);
        assertThat(x.requiresGrad()).isFalse();
    }

    /** 001, "detach" and "with torch.no_grad()". */
    @Test
    void detachAndNoGrad() {
        // x = torch.tensor([1., 2.], requires_grad=True)
        Tensor x = Tensor.tensor(List.of(1., 2.)).requiresGrad_();
        // y = x * 2; d = y.detach(); print(d, d.requires_grad, d.is_leaf, d.grad_fn)
        Tensor y = x.mul(2L);
        Tensor d = y.detach();
        assertThat(d + " " + d.requiresGrad() + " " + d.isLeaf() + " " + d.gradFn()).isEqualTo("tensor([2., 4.]) false true null");
        // d.zero_(); print(y)   (d shares y's data)
        d.zero_();
        assertThat(y.toString()).isEqualTo("tensor([0., 0.], grad_fn=<MulBackward0>)");
        // with torch.no_grad(): z = x * 2
        Tensor z;
        try (var g = GradMode.noGrad()) {
            z = x.mul(2L);
        }
        // print(z, z.requires_grad, z.is_leaf)
        assertThat(z + " " + z.requiresGrad() + " " + z.isLeaf()).isEqualTo("tensor([2., 4.]) false true");
    }

    /** 002, "Tensors and gradients". */
    @Test
    void tensorsAndGradients() {
        // t1 = torch.tensor(4.0); t1
        Tensor t1 = Tensor.tensor(4.0);
        assertThat(t1.toString()).isEqualTo("tensor(4.)");
        // t1.dtype
        assertThat(t1.dtype().toString()).isEqualTo("torch.float32");
        // t2 = torch.tensor([1.0, 2, 3, 4]); t2
        Tensor t2 = Tensor.tensor(List.of(1.0, 2, 3, 4));
        assertThat(t2.toString()).isEqualTo("tensor([1., 2., 3., 4.])");
        // t3 = torch.tensor([[5, 6], [7, 8], [9, 10]]); t3
        Tensor t3 = Tensor.tensor(List.of(List.of(5, 6), List.of(7, 8), List.of(9, 10)));
        assertThat(t3.toString()).isEqualTo("""
                tensor([[ 5,  6],
                        [ 7,  8],
                        [ 9, 10]])""");
        // t4 = torch.tensor([[[1, 2, 3], [4, 5, 6]], [[1, 2, 3], [4, 5, 6]]])
        Tensor t4 = Tensor.tensor(List.of(List.of(List.of(1, 2, 3), List.of(4, 5, 6)), List.of(List.of(1, 2, 3), List.of(4, 5, 6))));
        // t1.shape; t2.shape; t3.shape; t4.shape   -> torch.Size([]) torch.Size([4]) torch.Size([3, 2]) torch.Size([2, 2, 3])
        assertThat(size(t1) + " " + size(t2) + " " + size(t3) + " " + size(t4)).isEqualTo("[] [4] [3, 2] [2, 2, 3]");

        // x = torch.tensor(3.)
        Tensor x = Tensor.tensor(3.);
        // w = torch.tensor(4., requires_grad=True)
        Tensor w = Tensor.tensor(4.).requiresGrad_();
        // b = torch.tensor(5., requires_grad=True)
        Tensor b = Tensor.tensor(5.).requiresGrad_();
        // y = x * w + b; y
        Tensor y = x.mul(w).add(b);
        assertThat(y.toString()).isEqualTo("tensor(17., grad_fn=<AddBackward0>)");
        // y.backward()
        y.backward();
        // print("dy/dx:", x.grad); print("dy/dw", w.grad); print("dy/db", b.grad)   -> dy/dx: None  dy/dw tensor(3.)  dy/db tensor(1.)
        assertThat(x.grad()).isNull();
        assertThat(w.grad().toString()).isEqualTo("tensor(3.)");
        assertThat(b.grad().toString()).isEqualTo("tensor(1.)");
    }

    /** 003, the tensor lines of the model-building chapter: a parameterless layer, pooling by hand, grads. */
    @Test
    void layersByHand() {
        // x = torch.tensor([0, 5, 10, 15, 20], dtype=torch.float); x - x.mean()   (MyLayer.forward)
        Tensor x = Tensor.tensor(List.of(0, 5, 10, 15, 20), DType.FLOAT32);
        assertThat(x.sub(x.mean()).toString()).isEqualTo("tensor([-10.,  -5.,   0.,   5.,  10.])");

        // X = torch.tensor([[0, 1, 2], [3, 4, 5], [6, 7, 8]], dtype=torch.float)
        Tensor X = Tensor.tensor(List.of(List.of(0, 1, 2), List.of(3, 4, 5), List.of(6, 7, 8)), DType.FLOAT32);
        // pool2d(X, (2, 2), 'max')
        assertThat(pool2d(X, 2, 2, "max").toString()).isEqualTo("tensor([[4., 5.],\n        [7., 8.]])");
        // pool2d(X, (2, 2), 'avg')
        assertThat(pool2d(X, 2, 2, "avg").toString()).isEqualTo("tensor([[2., 3.],\n        [5., 6.]])");

        // X = torch.rand(8, 8); X = X.view((1, 1) + X.shape); X.shape   (comp_conv2d)
        X = Tensor.rand(8, 8);
        X = X.view(1, 1, 8, 8);
        assertThat(size(X)).isEqualTo("[1, 1, 8, 8]");

        // weight = torch.tensor([[-0.5871, -1.1311], [-1.0446, 0.2656]], requires_grad=True)   (the tutorial's is torch.randn((2, 2), requires_grad=True))
        Tensor weight = Tensor.tensor(List.of(List.of(-0.5871, -1.1311), List.of(-1.0446, 0.2656))).requiresGrad_();
        // weight.grad = torch.ones((2, 2))
        weight.setGrad(Tensor.ones(2, 2));
        // print("The data of weight before step:\n{}".format(weight.data))
        assertThat("The data of weight before step:\n" + weight.detach()).isEqualTo("""
                The data of weight before step:
                tensor([[-0.5871, -1.1311],
                        [-1.0446,  0.2656]])""");
        // print("The grad of weight before step:\n{}".format(weight.grad))
        assertThat("The grad of weight before step:\n" + weight.grad()).isEqualTo("""
                The grad of weight before step:
                tensor([[1., 1.],
                        [1., 1.]])""");

        // input = torch.randn(T, N, C).log_softmax(2).detach().requires_grad_()   (CTCLoss's input, T=50, N=16, C=20)
        Tensor input = Tensor.randn(50, 16, 20).logSoftmax(2).detach().requiresGrad_();
        assertThat(size(input) + " " + input.isLeaf() + " " + input.requiresGrad()).isEqualTo("[50, 16, 20] true true");
        // target = torch.randint(low=1, high=C, size=(N, S), dtype=torch.long)
        Tensor target = Tensor.randint(1, 20, 16, 30);
        assertThat(size(target) + " " + target.dtype()).isEqualTo("[16, 30] torch.int64");
        // input_lengths = torch.full(size=(N,), fill_value=T, dtype=torch.long); print(input_lengths[:3])
        Tensor inputLengths = Tensor.full(new int[] {16}, 50L, DType.INT64);
        assertThat(inputLengths.index(":3").toString()).isEqualTo("tensor([50, 50, 50])");
        // target = torch.empty(3).random_(2)   (BCELoss's target: 0. or 1.)
        Tensor bceTarget = Tensor.empty(3).random_(2);
        assertThat(bceTarget.dtype() + " " + bceTarget.eq(0L).logicalOr(bceTarget.eq(1L)).all()).isEqualTo("torch.float32 tensor(True)");
        // target = torch.tensor([-0.3, 0.0, 2.0]).sign()   (MarginRankingLoss's torch.randn(3).sign())
        assertThat(Tensor.tensor(List.of(-0.3, 0.0, 2.0)).sign().toString()).isEqualTo("tensor([-1.,  0.,  1.])");

        // output = torch.tensor([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]]); label = torch.tensor([1, 0, 0])   (val())
        Tensor output = Tensor.tensor(List.of(List.of(0.1, 0.9), List.of(0.8, 0.2), List.of(0.3, 0.7)));
        Tensor label = Tensor.tensor(List.of(1, 0, 0));
        // preds = torch.argmax(output, 1)
        Tensor preds = output.argmax(1);
        // print(torch.sum(preds == label))
        assertThat(preds.eq(label).sum().toString()).isEqualTo("tensor(2)");
    }

    // def pool2d(X, pool_size, mode='max'):
    private static Tensor pool2d(Tensor X, int pH, int pW, String mode) {
        // Y = torch.zeros((X.shape[0] - p_h + 1, X.shape[1] - p_w + 1))
        Tensor Y = Tensor.zeros(X.size(0) - pH + 1, X.size(1) - pW + 1);
        // for i in range(Y.shape[0]): for j in range(Y.shape[1]):
        for (int i = 0; i < Y.size(0); i++) {
            for (int j = 0; j < Y.size(1); j++) {
                Tensor window = X.index(Idx.slice(i, i + pH), Idx.slice(j, j + pW));
                // if mode == 'max': Y[i, j] = X[i: i + p_h, j: j + p_w].max()
                // elif mode == 'avg': Y[i, j] = X[i: i + p_h, j: j + p_w].mean()
                Y.indexPut_(new Object[] {i, j}, mode.equals("max") ? window.max() : window.mean());
            }
        }
        return Y;
    }

    /** 004, "Automatic differentiation", "Disabling gradient tracking", "Tensor gradients and Jacobian products". */
    @Test
    void autogradQuickstart() {
        // x = torch.ones(5); y = torch.zeros(3)
        Tensor x = Tensor.ones(5);
        Tensor y = Tensor.zeros(3);
        // w = torch.tensor([[...]], requires_grad=True); b = torch.tensor([0.5, -0.5, 0.25], requires_grad=True)   (the tutorial's are torch.randn)
        Tensor w = Tensor.tensor(List.of(List.of(0.1, -0.2, 0.3), List.of(0.4, 0.5, -0.6), List.of(-0.7, 0.8, 0.9), List.of(1.0, -1.1, 1.2),
                List.of(0.3, 0.2, 0.1))).requiresGrad_();
        Tensor b = Tensor.tensor(List.of(0.5, -0.5, 0.25)).requiresGrad_();
        assertThat(size(Tensor.randn(5, 3).requiresGrad_()) + " " + size(Tensor.randn(3))).isEqualTo("[5, 3] [3]");
        // z = torch.matmul(x, w) + b
        Tensor z = x.matmul(w).add(b);
        // loss = torch.nn.functional.binary_cross_entropy_with_logits(z, y); print(z, loss)
        Tensor loss = F.binaryCrossEntropyWithLogits(z, y);
        assertThat(z + " " + loss).isEqualTo(
                "tensor([ 1.6000, -0.3000,  2.1500], grad_fn=<AddBackward0>) tensor(1.5328, grad_fn=<BinaryCrossEntropyWithLogitsBackward0>)");
        // print(z.grad_fn); print(loss.grad_fn)
        assertThat(z.gradFn().name() + " " + loss.gradFn().name()).isEqualTo("AddBackward0 BinaryCrossEntropyWithLogitsBackward0");
        // loss.backward(); print(w.grad); print(b.grad)
        loss.backward();
        assertThat(w.grad().toString()).isEqualTo("""
                tensor([[0.2773, 0.1419, 0.2986],
                        [0.2773, 0.1419, 0.2986],
                        [0.2773, 0.1419, 0.2986],
                        [0.2773, 0.1419, 0.2986],
                        [0.2773, 0.1419, 0.2986]])""");
        assertThat(b.grad().toString()).isEqualTo("tensor([0.2773, 0.1419, 0.2986])");

        // x = torch.tensor([[0.5, -1.0, 1.5, 2.0]], dtype=torch.float32, requires_grad=True)   (the tutorial's is torch.randn((1, 4), ...))
        Tensor x4 = Tensor.tensor(List.of(List.of(0.5, -1.0, 1.5, 2.0)), DType.FLOAT32).requiresGrad_();
        // y = x ** 2; z = y * 4
        Tensor y4 = x4.pow(2L);
        Tensor z4 = y4.mul(4L);
        // print(x); print(y); print(z)
        assertThat(x4.toString()).isEqualTo("tensor([[ 0.5000, -1.0000,  1.5000,  2.0000]], requires_grad=True)");
        assertThat(y4.toString()).isEqualTo("tensor([[0.2500, 1.0000, 2.2500, 4.0000]], grad_fn=<PowBackward0>)");
        assertThat(z4.toString()).isEqualTo("tensor([[ 1.,  4.,  9., 16.]], grad_fn=<MulBackward0>)");
        // loss1 = z.mean(); loss2 = z.sum(); print(loss1, loss2)
        Tensor loss1 = z4.mean();
        Tensor loss2 = z4.sum();
        assertThat(loss1 + " " + loss2).isEqualTo("tensor(7.5000, grad_fn=<MeanBackward0>) tensor(30., grad_fn=<SumBackward0>)");
        // loss1.backward(); print(loss1, loss2)
        loss1.backward();
        assertThat(loss1 + " " + loss2).isEqualTo("tensor(7.5000, grad_fn=<MeanBackward0>) tensor(30., grad_fn=<SumBackward0>)");
        // loss2.backward()   -> RuntimeError: Trying to backward through the graph a second time ...
        assertThatThrownBy(loss2::backward).hasMessage("Trying to backward through the graph a second time (or directly access saved tensors after "
                + "they have already been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). "
                + "Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors "
                + "after calling backward.");

        // z = torch.matmul(x, w) + b; print(z.requires_grad)
        z = x.matmul(w).add(b);
        assertThat(z.requiresGrad()).isTrue();
        // with torch.no_grad(): z = torch.matmul(x, w) + b
        try (var g = GradMode.noGrad()) {
            z = x.matmul(w).add(b);
        }
        // print(z.requires_grad)
        assertThat(z.requiresGrad()).isFalse();
        // z = torch.matmul(x, w) + b; z_det = z.detach(); print(z_det.requires_grad)
        z = x.matmul(w).add(b);
        Tensor zDet = z.detach();
        assertThat(zDet.requiresGrad()).isFalse();

        // inp = torch.eye(5, requires_grad=True)
        Tensor inp = Tensor.eye(5).requiresGrad_();
        // out = (inp + 1).pow(2)
        Tensor out = inp.add(1L).pow(2L);
        // out.backward(torch.ones_like(inp), retain_graph=True); print("First call\n", inp.grad)
        out.backward(Tensor.onesLike(inp), true);
        String once = """
                tensor([[4., 2., 2., 2., 2.],
                        [2., 4., 2., 2., 2.],
                        [2., 2., 4., 2., 2.],
                        [2., 2., 2., 4., 2.],
                        [2., 2., 2., 2., 4.]])""";
        assertThat(inp.grad().toString()).isEqualTo(once);
        // out.backward(torch.ones_like(inp), retain_graph=True); print("\nSecond call\n", inp.grad)
        out.backward(Tensor.onesLike(inp), true);
        assertThat(inp.grad().toString()).isEqualTo("""
                tensor([[8., 4., 4., 4., 4.],
                        [4., 8., 4., 4., 4.],
                        [4., 4., 8., 4., 4.],
                        [4., 4., 4., 8., 4.],
                        [4., 4., 4., 4., 8.]])""");
        // inp.grad.zero_(); out.backward(torch.ones_like(inp), retain_graph=True); print("\nCall after zeroing gradients\n", inp.grad)
        inp.grad().zero_();
        out.backward(Tensor.onesLike(inp), true);
        assertThat(inp.grad().toString()).isEqualTo(once);

        // X = torch.rand(1, 28, 28); print(X.size())   -> torch.Size([1, 28, 28])
        assertThat(size(Tensor.rand(1, 28, 28))).isEqualTo("[1, 28, 28]");
        // logits = torch.tensor([[0.1, 0.5, -0.2, 0.05]]); pred_probab = nn.Softmax(dim=1)(logits)   (the tutorial's come from the model)
        Tensor logits = Tensor.tensor(List.of(List.of(0.1, 0.5, -0.2, 0.05)));
        Tensor predProbab = logits.softmax(1);
        // y_pred = pred_probab.argmax(1); print(f"Predicted class: {y_pred}")
        Tensor yPred = predProbab.argmax(1);
        assertThat("Predicted class: " + yPred).isEqualTo("Predicted class: tensor([1])");
        // print(pred_probab)
        assertThat(predProbab.toString()).isEqualTo("tensor([[0.2390, 0.3566, 0.1771, 0.2274]])");
    }
}
