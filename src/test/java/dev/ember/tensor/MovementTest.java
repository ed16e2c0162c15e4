package dev.ember.tensor;

import dev.ember.testing.OpCases;
import dev.ember.testing.OpCases.Op;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;

import static java.util.Map.entry;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Views and data movement against PyTorch fixtures (tools/fixtures/fx_movement.py). */
class MovementTest {

    @TestFactory
    Stream<DynamicTest> movement() {
        Map<String, Op> ops = Map.<String, Op>ofEntries(
                entry("view", (x, k) -> x[0].view(k.ints("s"))),
                entry("reshape", (x, k) -> x[0].reshape(k.ints("s"))),
                entry("permute", (x, k) -> x[0].permute(k.ints("d"))),
                entry("transpose", (x, k) -> x[0].transpose(k.i("d0"), k.i("d1"))),
                entry("t", (x, k) -> x[0].t()),
                entry("squeeze", (x, k) -> x[0].squeeze()),
                entry("squeeze_dim", (x, k) -> x[0].squeeze(k.i("d"))),
                entry("unsqueeze", (x, k) -> x[0].unsqueeze(k.i("d"))),
                entry("flatten", (x, k) -> x[0].flatten()),
                entry("flatten_range", (x, k) -> x[0].flatten(k.i("s"), k.i("e"))),
                entry("unflatten", (x, k) -> x[0].unflatten(k.i("d"), k.ints("s"))),
                entry("narrow", (x, k) -> x[0].narrow(k.i("d"), k.i("s"), k.i("l"))),
                entry("select", (x, k) -> x[0].select(k.i("d"), k.i("i"))),
                entry("slice", (x, k) -> x[0].slice(k.i("d"), k.i("s"), k.i("e"), k.i("st"))),
                entry("rot90", (x, k) -> x[0].rot90(k.i("k"), k.ints("dims"))),
                entry("expand", (x, k) -> x[0].expand(k.ints("s"))),
                entry("contiguous", (x, k) -> x[0].contiguous()),
                entry("clone", (x, k) -> x[0].clone()),
                entry("cat", (x, k) -> Tensor.cat(Arrays.asList(x), k.i("d"))),
                entry("stack", (x, k) -> Tensor.stack(Arrays.asList(x), k.i("d"))),
                entry("split", (x, k) -> x[0].split(k.i("s"), k.i("d"))),
                entry("split_sizes", (x, k) -> x[0].splitWithSizes(k.ints("s"), k.i("d"))),
                entry("chunk", (x, k) -> x[0].chunk(k.i("c"), k.i("d"))),
                entry("unbind", (x, k) -> x[0].unbind(k.i("d"))),
                entry("flip", (x, k) -> x[0].flip(k.ints("d"))),
                entry("tile", (x, k) -> x[0].tile(k.ints("r"))),
                entry("repeat", (x, k) -> x[0].repeat(k.ints("r"))),
                entry("roll", (x, k) -> x[0].roll(k.i("s"), k.i("d"))),
                entry("rolls", (x, k) -> x[0].roll(k.ints("s"), k.ints("d"))),
                entry("as_strided", (x, k) -> x[0].asStrided(k.ints("sz"), k.ints("st"), k.i("o"))),
                entry("sum_to_size", (x, k) -> x[0].sumTo(k.ints("s"))));
        return OpCases.run("movement", ops);
    }

    @Test
    void expandingToTheSameShapeIsStillAView() {
        // PyTorch 1.13: x.expand_as(x) is not x; it prints grad_fn=<ExpandBackward0> and is no leaf
        Tensor x = Tensor.ones(2, 2).requiresGrad_();
        Tensor y = x.expandAs(x);
        assertNotSame(x, y);
        assertFalse(y.isLeaf());
        assertEquals("ExpandBackward0", y.gradFn().name());
    }

    @Test
    void aZeroDimTensorExpandedToANegativeSizeOverflowsItsElementCount() {
        // PyTorch 1.13: torch.zeros(()).expand(-1), .expand(2, -1) and .expand(-2) -> "numel: integer multiplication overflow";
        // with dims, torch.zeros(3).expand(-1, 3) -> "The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension 0"
        for (int[] size : new int[][] {{-1}, {2, -1}, {-2}})
            assertEquals("numel: integer multiplication overflow", assertThrows(IllegalArgumentException.class, () -> Tensor.zeros().expand(size)).getMessage());
        assertEquals("The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension 0",
                assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(3).expand(-1, 3)).getMessage());
    }

    @Test
    void aZeroDimTensorExpandsToNegativeSizesWhenAZeroComesFirst() {
        // PyTorch 1.13: torch.zeros(()).expand(0, -1) has shape (0, -1), strides (0, 0) and numel 0; likewise
        // (-1, 0) and (2, 0, -1); (-1, -1, 0) overflows before the 0 is reached
        for (int[] size : new int[][] {{0, -1}, {-1, 0}, {2, 0, -1}}) {
            Tensor y = Tensor.zeros().expand(size);
            assertArrayEquals(size, y.shape());
            assertArrayEquals(new int[size.length], y.strides());
            assertEquals(0, y.numel());
        }
        assertEquals("numel: integer multiplication overflow", assertThrows(IllegalArgumentException.class, () -> Tensor.zeros().expand(-1, -1, 0)).getMessage());
    }

    @Test
    void rot90IsAFreshTensorWithItsOwnNode() {
        // PyTorch 1.13: x = torch.arange(6.).reshape(2, 3).requires_grad_(); x.rot90(1) and x.rot90(-1) have strides
        // (1, 3), x.rot90(0) and x.rot90(2) (3, 1), every one grad_fn Rot90Backward0; torch.arange(24.).reshape(2, 3, 4)
        // .rot90(1, (2, 0)) has shape (4, 3, 2), strides (1, 4, 12)
        Tensor x = Tensor.arange(6).to(DType.FLOAT32).reshape(2, 3).requiresGrad_();
        for (int k : new int[] {1, -1, 0, 2}) {
            Tensor r = x.rot90(k);
            assertArrayEquals(k % 2 == 0 ? new int[] {3, 1} : new int[] {1, 3}, r.strides());
            assertEquals("Rot90Backward0", r.gradFn().name());
        }
        Tensor y = Tensor.arange(24).to(DType.FLOAT32).reshape(2, 3, 4).rot90(1, new int[] {2, 0});
        assertArrayEquals(new int[] {4, 3, 2}, y.shape());
        assertArrayEquals(new int[] {1, 4, 12}, y.strides());
    }

    @Test
    void repeatingAnEmptyDimByANegativeCountIsEmpty() {
        // PyTorch 1.13: torch.zeros(0).repeat(-1).shape == torch.Size([0]); the check is on the repeated shape
        assertArrayEquals(new int[] {0}, Tensor.zeros(0).repeat(-1).shape());
    }
    @Test
    void movedimIsAPermuteThatMovesOneDim() {
        // PyTorch 1.13: x.movedim(0, -1) has shape (3, 4, 2), strides (4, 1, 12), grad_fn PermuteBackward0
        Tensor x = Tensor.arange(24.0).view(2, 3, 4).requiresGrad_();
        Tensor y = x.movedim(0, -1);
        assertArrayEquals(new int[] {3, 4, 2}, y.shape());
        assertArrayEquals(new int[] {4, 1, 12}, y.strides());
        assertEquals("PermuteBackward0", y.gradFn().name());
        // (y * torch.arange(24.).view(3, 4, 2)).sum().backward(); x.grad[1, 2] == [17, 19, 21, 23]
        y.mul(Tensor.arange(24.0).view(3, 4, 2)).sum().backward();
        assertEquals("tensor([17., 19., 21., 23.])", x.grad().index(1, 2).toString());
        assertArrayEquals(new int[] {2, 4, 3}, x.movedim(-1, 1).shape());
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> x.movedim(3, 0));
        assertEquals("Dimension out of range (expected to be in range of [-3, 2], but got 3)", e.getMessage());
    }

    @Test
    void transposeOfAZeroDimTensorTakesDimsZeroAndMinusOne() {
        // PyTorch 1.13: torch.tensor(1.).transpose(0, -1) -> tensor(1.); .transpose(0, 1) and .transpose(2, -3) raise
        // IndexError "Dimension out of range (expected to be in range of [-1, 0], but got 1)" (got 2)
        Tensor x = Tensor.scalar(1.0);
        assertEquals("tensor(1.)", x.transpose(0, -1).toString());
        assertEquals("tensor(1.)", x.transpose(-1, 0).toString());
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> x.transpose(0, 1));
        assertEquals("Dimension out of range (expected to be in range of [-1, 0], but got 1)", e.getMessage());
        e = assertThrows(IndexOutOfBoundsException.class, () -> x.transpose(2, -3));
        assertEquals("Dimension out of range (expected to be in range of [-1, 0], but got 2)", e.getMessage());
    }

    @Test
    void hstackVstackAndTensorSplitAsPyTorch() {
        // PyTorch 1.13 outputs of the 001 tutorial's list of functions
        Tensor a = Tensor.tensor(java.util.List.of(1., 2.)).requiresGrad_(), b = Tensor.tensor(java.util.List.of(3., 4.)).requiresGrad_();
        assertEquals("tensor([1., 2., 3., 4.], grad_fn=<CatBackward0>)", Tensor.hstack(java.util.List.of(a, b)).toString());
        Tensor v = Tensor.vstack(java.util.List.of(a, b));
        assertEquals("tensor([[1., 2.],\n        [3., 4.]], grad_fn=<CatBackward0>)", v.toString());
        assertEquals("UnsqueezeBackward0", v.gradFn().nextFunctions().get(0).node().name());
        assertEquals("tensor([[1., 0., 0.],\n        [1., 0., 0.]])", Tensor.hstack(java.util.List.of(Tensor.ones(2, 1), Tensor.zeros(2, 2))).toString());
        assertEquals("tensor([[1., 1., 1.],\n        [1., 1., 1.],\n        [0., 0., 0.]])", Tensor.vstack(java.util.List.of(Tensor.ones(2, 3), Tensor.zeros(3))).toString());
        assertEquals("tensor([1., 2.])", Tensor.hstack(java.util.List.of(Tensor.scalar(1), Tensor.scalar(2))).toString());
        assertEquals("hstack expects a non-empty TensorList", assertThrows(IllegalArgumentException.class, () -> Tensor.hstack(java.util.List.of())).getMessage());

        // torch.tensor_split(x, [2, 3]) -> x[:2], x[2:3], x[3:], each with SliceBackward0
        java.util.List<Tensor> parts = Tensor.arange(8.0).requiresGrad_().tensorSplit(new int[] {2, 3}, 0);
        assertEquals("[tensor([0., 1.], grad_fn=<SliceBackward0>), tensor([2.], grad_fn=<SliceBackward0>), "
                + "tensor([3., 4., 5., 6., 7.], grad_fn=<SliceBackward0>)]", parts.toString());
        assertEquals("[tensor([0, 1, 2]), tensor([3, 4, 5]), tensor([6, 7])]", Tensor.arange(8).tensorSplit(3, 0).toString());
        assertEquals("[tensor([0, 1, 2]), tensor([3, 4]), tensor([5, 6])]", Tensor.arange(7).tensorSplit(3, 0).toString());
        assertEquals("[tensor([[0],\n        [4],\n        [8]]), tensor([[ 1,  2],\n        [ 5,  6],\n        [ 9, 10]]), tensor([[ 3],\n        [ 7],\n        [11]])]",
                Tensor.arange(12).view(3, 4).tensorSplit(new int[] {1, 3}, 1).toString());
        assertEquals("[tensor([0]), tensor([1, 2]), tensor([], dtype=torch.int64)]", Tensor.arange(3).tensorSplit(new int[] {1, 5}, 0).toString());
        assertEquals("tensor_split expected at least a 1-dimensional tensor, but got a tensor with 0 dims",
                assertThrows(IllegalArgumentException.class, () -> Tensor.scalar(1).tensorSplit(2, 0)).getMessage());
        assertEquals("number of sections must be larger than 0, got 0", assertThrows(IllegalArgumentException.class, () -> Tensor.arange(3).tensorSplit(0, 0)).getMessage());
    }
    @Test
    void diagAsPyTorch() {
        // PyTorch 1.13 outputs and gradients of torch.diag both ways
        Tensor v = Tensor.tensor(java.util.List.of(1., 2., 3.)).requiresGrad_();
        assertEquals("tensor([[1., 0., 0.],\n        [0., 2., 0.],\n        [0., 0., 3.]], grad_fn=<DiagBackward0>)", v.diag().toString());
        assertArrayEquals(new int[] {4, 4}, v.diag(-1).shape());
        v.diag(1).mul(Tensor.arange(16.0).view(4, 4)).sum().backward();
        assertEquals("tensor([ 1.,  6., 11.])", v.grad().toString());
        Tensor m = Tensor.arange(12.0).view(3, 4).requiresGrad_();
        assertEquals("tensor([ 0.,  5., 10.], grad_fn=<DiagBackward0>)", m.diag().toString());
        assertEquals("tensor([ 1.,  6., 11.]) tensor([8.]) tensor([3.]) tensor([])",
                m.detach().diag(1) + " " + m.detach().diag(-2) + " " + m.detach().diag(3) + " " + m.detach().diag(-3));
        assertEquals("tensor([ 0.,  5., 10.])", m.detach().t().diag().toString());
        m.diag(1).mul(Tensor.tensor(java.util.List.of(1., 2., 3.))).sum().backward();
        assertEquals("tensor([[0., 1., 0., 0.],\n        [0., 0., 2., 0.],\n        [0., 0., 0., 3.]])", m.grad().toString());
        assertEquals("tensor([1, 4])", Tensor.tensor(java.util.List.of(java.util.List.of(1, 2), java.util.List.of(3, 4))).diag().toString());
        assertEquals("matrix or a vector expected", assertThrows(IllegalArgumentException.class, () -> Tensor.ones(2, 2, 2).diag()).getMessage());
    }
    @Test
    void hsplitAndVsplitAsPyTorch() {
        Tensor t = Tensor.arange(16.0).view(4, 4);
        assertEquals("[tensor([[ 0.,  1.],\n        [ 4.,  5.],\n        [ 8.,  9.],\n        [12., 13.]]), "
                + "tensor([[ 2.,  3.],\n        [ 6.,  7.],\n        [10., 11.],\n        [14., 15.]])]", t.hsplit(2).toString());
        assertEquals("tensor([], size=(4, 0))", t.hsplit(new int[] {3, 6}).get(2).toString());
        assertEquals("[tensor([[0., 1., 2., 3.]]), tensor([[ 4.,  5.,  6.,  7.],\n        [ 8.,  9., 10., 11.]]), tensor([[12., 13., 14., 15.]])]",
                t.vsplit(new int[] {1, 3}).toString());
        assertEquals("[tensor([0, 1]), tensor([2, 3]), tensor([4, 5])]", Tensor.arange(6).hsplit(3).toString());
        assertEquals("torch.hsplit attempted to split along dimension 1, but the size of the dimension 4 is not divisible by the split_size 3!",
                assertThrows(IllegalArgumentException.class, () -> t.hsplit(3)).getMessage());
        assertEquals("torch.vsplit requires a tensor with at least 2 dimension, but got a tensor with 1 dimensions!",
                assertThrows(IllegalArgumentException.class, () -> Tensor.arange(4).vsplit(2)).getMessage());
        assertEquals("torch.hsplit requires a tensor with at least 1 dimension, but got a tensor with 0 dimensions!",
                assertThrows(IllegalArgumentException.class, () -> Tensor.scalar(1).hsplit(1)).getMessage());
        assertEquals("torch.vsplit attempted to split along dimension 0, but the size of the dimension 4 is not divisible by the split_size 0!",
                assertThrows(IllegalArgumentException.class, () -> t.vsplit(0)).getMessage());
    }
    @Test
    void dstackColumnStackAndDsplitAsPyTorch() {
        Tensor a = Tensor.tensor(java.util.List.of(1., 2.)).requiresGrad_(), b = Tensor.tensor(java.util.List.of(3., 4.));
        Tensor d = Tensor.dstack(java.util.List.of(a, b));
        assertEquals("tensor([[[1., 3.],\n         [2., 4.]]], grad_fn=<CatBackward0>)", d.toString());
        assertEquals("UnsqueezeBackward0", d.gradFn().nextFunctions().get(0).node().name());
        assertArrayEquals(new int[] {2, 2, 2}, Tensor.dstack(java.util.List.of(Tensor.ones(2, 2), Tensor.zeros(2, 2, 1))).shape());
        assertEquals("tensor([[[1., 2.]]])", Tensor.dstack(java.util.List.of(Tensor.scalar(1), Tensor.scalar(2))).toString());
        Tensor c = Tensor.columnStack(java.util.List.of(a, b));
        assertEquals("tensor([[1., 3.],\n        [2., 4.]], grad_fn=<CatBackward0>)", c.toString());
        assertEquals("ReshapeAliasBackward0", c.gradFn().nextFunctions().get(0).node().name());
        assertEquals("tensor([[0, 0, 1],\n        [1, 2, 3],\n        [2, 4, 5]])",
                Tensor.columnStack(java.util.List.of(Tensor.arange(3), Tensor.arange(6).view(3, 2))).toString());
        assertEquals("tensor([[1., 2.]])", Tensor.columnStack(java.util.List.of(Tensor.scalar(1), Tensor.scalar(2))).toString());
        Tensor x = Tensor.arange(16.0).view(2, 2, 4);
        assertEquals("tensor([[[ 2.,  3.],\n         [ 6.,  7.]],\n\n        [[10., 11.],\n         [14., 15.]]])", x.dsplit(2).get(1).toString());
        assertArrayEquals(new int[] {2, 2, 1}, x.dsplit(new int[] {3}).get(1).shape());
        assertEquals("torch.dsplit requires a tensor with at least 3 dimension, but got a tensor with 2 dimensions!",
                assertThrows(IllegalArgumentException.class, () -> Tensor.ones(2, 2).dsplit(1)).getMessage());
        assertEquals("torch.dsplit attempted to split along dimension 2, but the size of the dimension 4 is not divisible by the split_size 3!",
                assertThrows(IllegalArgumentException.class, () -> x.dsplit(3)).getMessage());
        assertEquals("dstack expects a non-empty TensorList", assertThrows(IllegalArgumentException.class, () -> Tensor.dstack(java.util.List.of())).getMessage());
        assertEquals("column_stack expects a non-empty TensorList",
                assertThrows(IllegalArgumentException.class, () -> Tensor.columnStack(java.util.List.of())).getMessage());
    }
}
