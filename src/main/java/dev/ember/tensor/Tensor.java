package dev.ember.tensor;

import dev.ember.autograd.Autograd;
import dev.ember.autograd.AutogradMeta;
import dev.ember.autograd.GradMode;
import dev.ember.autograd.InferenceMode;
import dev.ember.autograd.Node;
import dev.ember.autograd.RemovableHandle;
import dev.ember.tensor.spi.Backend;
import dev.ember.tensor.spi.HostStorage;
import dev.ember.tensor.spi.Storage;
import dev.ember.tensor.spi.Strided;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * An n-dimensional array with autograd, named and behaving like {@code torch.Tensor}.
 *
 * <p>A tensor is a cheap handle: a {@link Storage} shared with its views, a {@link Layout} (shape, strides,
 * offset) and autograd metadata. Methods mirror PyTorch's: {@code x.add(y)}, {@code x.sum(1, true)},
 * {@code x.view(-1, 4)}; in-place variants end in {@code _}; factories are static ({@code Tensor.zeros(2, 3)}).
 * The implementations live in the op-family classes of this package ({@link Pointwise}, {@link Reductions},
 * {@link Statistics}, {@link Norms}, {@link Softmax}, {@link Scans}, {@link Movement}, {@link Indexing},
 * {@link Linalg}, {@link Sorting}, {@link Creation}); this class only names them.
 */
public class Tensor {
    /** Replaced only by {@link #setData} ({@code x.data = y}), which swaps the data under a tensor's autograd state. */
    private Storage storage;
    /** Replaced only by the in-place view ops and resize_ ({@link InPlaceViews}, {@link Resize}), as PyTorch's TensorImpl. */
    private Layout layout;
    private final AutogradMeta meta = new AutogradMeta();
    /** Made inside {@code torch.inference_mode()} (and not as a view of a normal tensor): see {@link InferenceMode}. */
    private boolean inference = InferenceMode.isEnabled();
    /** The version counter of an {@code x.data} alias and its views; null for every other tensor, which use the storage's. */
    private int[] ownVersion;
    /** A Python-number operand ({@code x + 2.5}): it takes part in type promotion with the lowest priority. */
    boolean wrappedNumber;
    /**
     * A number a backward rule passed: C++'s Scalar, whose overloads record their own nodes ({@code MulBackward1}). A
     * saved Python number a rule reads back is a tensor there, as PyTorch's SavedVariable ({@code MulBackward0}).
     */
    boolean cppScalar;

    Tensor(Storage storage, Layout layout) {
        this.storage = storage;
        this.layout = layout;
    }

    /**
     * For subclasses that wrap existing data, such as {@code nn.Parameter}: shares {@code data}'s storage and
     * layout (no copy), with fresh autograd state (a leaf).
     */
    protected Tensor(Tensor data) {
        this(data.storage, data.layout);
    }

    /** A tensor over existing storage (for backends and loaders); no copy is made. */
    public static Tensor of(Storage storage, Layout layout) {
        if (layout.extent() > storage.size())
            throw new IllegalArgumentException("layout " + layout + " reaches beyond a storage of " + storage.size() + " elements");
        return new Tensor(storage, layout);
    }

    /**
     * {@code base}'s memory through another layout, which autograd does not know as a view and whose version counter
     * is its own (ATen's {@code _unsafe_view} of an op's input): in-place writes to base change what it reads but not
     * its version.
     */
    static Tensor unsafeAlias(Tensor base, Layout layout) {
        Tensor a = new Tensor(base.storage, layout);
        a.ownVersion = new int[1];
        a.inference = base.inference;
        return a;
    }

    /** A view of {@code base} through another layout; autograd knows it as a view of base's root. */
    static Tensor viewOf(Tensor base, Layout layout) {
        Tensor v = new Tensor(base.storage, layout);
        Tensor root = base.meta.base();
        v.meta.setViewOf(root != null ? root : base, base.meta, base.storage.version());
        v.ownVersion = base.ownVersion;
        v.inference = base.inference;
        return v;
    }

    // ---------------------------------------------------------------- metadata

    public int[] shape() { return layout.shape().clone(); }

    /** {@code x.size()}: same as {@link #shape()}. */
    public int[] size() { return shape(); }

    public int size(int dim) { return layout.size(dim); }

    public int dim() { return layout.dim(); }

    public int numel() { return layout.numel(); }

    public int[] strides() { return layout.strides().clone(); }

    public int stride(int dim) { return layout.stride(dim); }

    /** {@code stride()} with no dim: every dim's stride, as PyTorch's tuple (the same as {@link #strides()}). */
    public int[] stride() { return strides(); }

    public int storageOffset() { return layout.offset(); }

    public DType dtype() { return storage.dtype(); }

    public Device device() { return storage.device(); }

    public boolean isContiguous() { return layout.isContiguous(); }

    public boolean isFloatingPoint() { return dtype().isFloatingPoint(); }

    /** {@code is_complex()}: Ember has no complex dtypes. */
    public boolean isComplex() { return false; }

    /** {@code element_size()}: bytes per element. */
    public int elementSize() { return dtype().itemSize(); }

    /** {@code x.type()}: the legacy type name, {@code torch.FloatTensor}. */
    public String type() { return dtype().legacyTypeName(); }

    /** {@code x.type(dtype)}: {@link #to(DType)}, which returns x itself when the dtype is already x's. */
    public Tensor type(DType dtype) { return to(dtype); }

    /** {@code x.type_as(other)}: x in other's dtype. */
    public Tensor typeAs(Tensor other) { return to(other.dtype()); }

    public Layout layout() { return layout; }

    void setLayout(Layout layout) { this.layout = layout; }

    public Storage storage() { return storage; }

    public Strided strided() { return new Strided(storage, layout); }

    public Backend backend() { return storage.backend(); }

    /** The version counter that in-place ops bump ({@code x._version}). */
    public int version() {
        if (inference) throw new IllegalStateException("Inference tensors do not track version counter.");
        return versionCounter();
    }

    /** {@link #version()} for Ember's own bookkeeping, which also sees inference tensors. */
    int versionCounter() { return ownVersion != null ? ownVersion[0] : storage.version(); }

    /** {@code x.is_inference()}: made inside {@code torch.inference_mode()}. */
    public boolean isInference() { return inference; }

    /**
     * Counts an in-place write in the version counter ({@code impl::bump_version}): the in-place ops call it, and so does
     * a custom Function's {@code mark_dirty}. The counter is the one views share with their base, or a {@code .data}
     * alias's own, never the storage's behind its back; an inference tensor outside inference mode refuses it.
     */
    public void bumpVersion() {
        InferenceMode.checkInplace(this);
        if (ownVersion != null) ownVersion[0]++;
        else storage.bumpVersion();
    }

    /** Autograd state; the public surface is {@link #grad()}, {@link #gradFn()}, {@link #requiresGrad()}. */
    public AutogradMeta meta() { return meta; }

    /** True when this tensor shares storage with a base it was viewed from ({@code x._base is not None}). */
    public boolean isView() { return meta.base() != null; }

    // ---------------------------------------------------------------- autograd

    /**
     * PyTorch's requires_grad reads no grad_fn: a stale view is neither re-derived (so in-place checks still see the
     * grad_fn it had, as PyTorch's C++ is_leaf does) nor refused; a view requires grad when its base does.
     */
    public boolean requiresGrad() { return meta.requiresGrad(); }

    /** {@code requires_grad_()}: only leaves can change it, and only floating-point tensors can require grad. */
    public Tensor requiresGrad_(boolean requiresGrad) {
        if (requiresGrad && inference && !InferenceMode.isEnabled())
            throw new IllegalStateException("Setting requires_grad=True on inference tensor outside InferenceMode is not allowed.");
        // C++ is_leaf reads the grad_fn field: a stale no_grad view is not re-derived (nor refused) here, as x.is_leaf would be
        if (meta.gradFn() != null) {
            if (!requiresGrad)
                throw new IllegalStateException("you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph "
                        + "that doesn't require differentiation use var_no_grad = var.detach().");
            return this;
        }
        if (requiresGrad && !dtype().isFloatingPoint())
            throw new IllegalStateException("only Tensors of floating point dtype can require gradients");
        meta.setRequiresGrad(requiresGrad);
        return this;
    }

    public Tensor requiresGrad_() { return requiresGrad_(true); }

    public boolean isLeaf() { return gradFn() == null; }

    /** {@code grad_fn}: the node that produced this tensor, or null for a leaf. */
    public Node gradFn() {
        syncViewHistory();
        return meta.gradFn();
    }

    /**
     * PyTorch re-derives a view's grad_fn from its base when the storage was written in place since the view's
     * history was made (through another view, or the base itself): {@code v = y.view(2, 3); y[0].mul_(2)} must
     * leave {@code v} reading y's new history, or gradients would skip the in-place op.
     */
    private void syncViewHistory() {
        Tensor base = meta.base();
        // a view outside any graph has nothing to re-derive, and PyTorch leaves its recorded version as it was
        if (base == null || (meta.gradFn() == null && !base.requiresGrad()) || meta.viewVersion() == storage.version()) return;
        // a view made under no_grad has no history to re-derive, and one of a multi-output op's cannot be re-derived
        // alone, so PyTorch refuses (in either grad mode)
        Autograd.checkViewRebase(this);
        meta.setViewVersion(storage.version());
        Movement.rederiveView(base, this);
    }

    /** {@code .grad}: accumulated by backward for leaves that require grad (and tensors that retain it). */
    public Tensor grad() { return meta.grad(); }

    /** {@code x.grad = g} (null clears it, like {@code x.grad = None}). */
    public void setGrad(Tensor g) {
        if (g != null) Autograd.checkAssignedGrad(this, g);
        meta.setGrad(g);
    }

    public void backward() { Autograd.backward(new Tensor[] {this}, null, false, false); }

    public void backward(Tensor gradient) { Autograd.backward(new Tensor[] {this}, new Tensor[] {gradient}, false, false); }

    public void backward(Tensor gradient, boolean retainGraph) {
        Autograd.backward(new Tensor[] {this}, gradient == null ? null : new Tensor[] {gradient}, retainGraph, false);
    }

    public void backward(Tensor gradient, boolean retainGraph, boolean createGraph) {
        Autograd.backward(new Tensor[] {this}, gradient == null ? null : new Tensor[] {gradient}, retainGraph || createGraph, createGraph);
    }

    /** {@code retain_grad()}: keep {@code .grad} on this non-leaf tensor after backward. */
    public Tensor retainGrad() {
        Autograd.retainGrad(this);
        return this;
    }

    public boolean retainsGrad() { return meta.retainsGrad(); }

    /**
     * {@code register_hook(hook)}: {@code hook} is called with this tensor's gradient when backward computes it (on a
     * leaf, before accumulation into {@code .grad}) and may return a replacement, or null to keep it.
     */
    public RemovableHandle registerHook(UnaryOperator<Tensor> hook) { return Autograd.registerHook(this, hook); }

    /** A tensor sharing storage (and version counter) but cut from the graph. */
    public Tensor detach() { return alias(); }

    /** A new tensor over the same memory that shares nothing else but, like a view, inference-ness (see InferenceMode). */
    private Tensor alias() {
        Tensor a = new Tensor(storage, layout);
        a.inference = inference;
        return a;
    }

    /**
     * {@code x.data}: like {@link #detach()} an alias of the same memory outside the graph, but with a version counter of
     * its own, so writing it ({@code p.data.mul_(2)}) neither trips the version check of a graph that saved x nor
     * re-derives x's views.
     */
    public Tensor data() {
        Tensor d = alias();
        d.ownVersion = new int[1];
        return d;
    }

    /** {@code x.data = y}: x takes y's memory and layout and keeps its own autograd state (grad_fn, requires_grad). */
    public void setData(Tensor data) {
        if (requiresGrad() && !data.isFloatingPoint())
            throw new IllegalArgumentException("data set to a tensor that requires gradients must be floating point or complex dtype");
        storage = data.storage;
        layout = data.layout;
        ownVersion = data.ownVersion;
    }

    /** {@code detach_()}: cuts this tensor from the graph in place. */
    public Tensor detach_() {
        if (isView())
            throw new IllegalStateException("Can't detach views in-place. Use detach() instead. If you are using DistributedDataParallel (DDP) for training, "
                    + "and gradient_as_bucket_view is set as True, gradients are views of DDP buckets, and hence detach_() cannot be called on these gradients. "
                    + "To fix this error, please refer to the Optimizer.zero_grad() function in torch/optim/optimizer.py as the solution.");
        meta.setGradFn(null, 0);
        meta.setRequiresGrad(false);
        return this;
    }

    // ---------------------------------------------------------------- data access

    /** {@code item()}: the value of a one-element tensor. */
    public double item() {
        if (numel() != 1)
            throw new IllegalArgumentException("a Tensor with " + numel() + " elements cannot be converted to Scalar");
        HostStorage h = backend().toHost(storage);
        return h.getDouble(firstOffset());
    }

    /** {@code item()} for integer tensors, keeping all 64 bits. */
    public long itemLong() {
        if (numel() != 1)
            throw new IllegalArgumentException("a Tensor with " + numel() + " elements cannot be converted to Scalar");
        return backend().toHost(storage).getLong(firstOffset());
    }

    public boolean itemBool() { return itemLong() != 0; }

    private int firstOffset() { return layout.offset(); }

    /** The elements in row-major order, converted to float. */
    public float[] toFloatArray() { return Creation.toFloatArray(this); }

    public double[] toDoubleArray() { return Creation.toDoubleArray(this); }

    public long[] toLongArray() { return Creation.toLongArray(this); }

    public int[] toIntArray() { return Creation.toIntArray(this); }

    public boolean[] toBoolArray() { return Creation.toBoolArray(this); }

    /** {@code tolist()}: nested lists of Double, Long or Boolean; a 0-dim tensor gives the bare number. */
    public Object tolist() { return Creation.tolist(this); }

    /** A contiguous host copy (the storage itself when already contiguous on the CPU from offset 0). */
    public HostStorage toHost() { return Creation.toHost(this); }

    // ---------------------------------------------------------------- factories

    /**
     * {@code torch.tensor(data)} from nested Lists or arrays: boxed numbers and Lists act as Python numbers and
     * lists (Double -> float32, Integer/Long -> int64, Boolean -> bool), primitive arrays as NumPy arrays of
     * their own type ({@code double[]} -> float64, {@code int[]} -> int32); a Tensor is copied.
     */
    public static Tensor tensor(Object data) { return NestedData.tensor(data, null); }

    public static Tensor tensor(Object data, DType dtype) { return NestedData.tensor(data, dtype); }

    /** A 1-D float32 tensor from values. */
    public static Tensor of(float... values) { return tensor(values); }

    /** A 0-dim tensor of the default dtype (float32 unless {@link #setDefaultDtype} changed it). */
    public static Tensor scalar(double value) { return Creation.full(new int[0], value, DefaultDtype.get()); }

    public static Tensor scalar(double value, DType dtype) { return Creation.full(new int[0], value, dtype); }

    /**
     * Wraps (does not copy) a Java array as a tensor of the given shape; its type must match the dtype's. Like
     * {@code torch.from_numpy}'s, its storage cannot grow ({@code resize_}), as the tensor must keep sharing the array.
     */
    public static Tensor fromArray(Object array, DType dtype, int... shape) { return Creation.fromArray(array, dtype, shape); }

    public static Tensor fromArray(float[] data, int... shape) { return Creation.fromArray(data, DType.FLOAT32, shape); }

    public static Tensor fromArray(double[] data, int... shape) { return Creation.fromArray(data, DType.FLOAT64, shape); }

    public static Tensor fromArray(long[] data, int... shape) { return Creation.fromArray(data, DType.INT64, shape); }

    /** {@code torch.set_default_dtype}: the floating type factories and Python floats take; float32 at start. */
    public static void setDefaultDtype(DType dtype) { DefaultDtype.set(dtype); }

    /** {@code torch.get_default_dtype()}. */
    public static DType getDefaultDtype() { return DefaultDtype.get(); }

    /** {@code torch.empty}: zero-filled here, as fresh storage always is. */
    public static Tensor empty(int... shape) { return Creation.zeros(shape, DefaultDtype.get()); }

    public static Tensor empty(int[] shape, DType dtype) { return Creation.zeros(shape, dtype); }

    public static Tensor zeros(int... shape) { return Creation.zeros(shape, DefaultDtype.get()); }

    public static Tensor zeros(int[] shape, DType dtype) { return Creation.zeros(shape, dtype); }

    public static Tensor ones(int... shape) { return Creation.full(shape, 1, DefaultDtype.get()); }

    public static Tensor ones(int[] shape, DType dtype) { return Creation.full(shape, 1, dtype); }

    /** {@code torch.full(shape, 2.5)}: a floating value gives float32, the default dtype. */
    public static Tensor full(int[] shape, double value) { return Creation.full(shape, value, DefaultDtype.get()); }

    /** {@code torch.full(shape, 7)}: an integral value gives int64, as a Python int does. */
    public static Tensor full(int[] shape, long value) { return Creation.fullLong(shape, value, DType.INT64, Device.CPU); }

    /** {@code torch.full(shape, True)}: bool. */
    public static Tensor full(int[] shape, boolean value) { return Creation.full(shape, Scalar.of(value), DType.BOOL, Device.CPU); }

    /** The value must fit the dtype: {@code full(shape, 300, uint8)} fails as in PyTorch. */
    public static Tensor full(int[] shape, double value, DType dtype) { return Creation.full(shape, value, dtype); }

    public static Tensor full(int[] shape, long value, DType dtype) { return Creation.fullLong(shape, value, dtype, Device.CPU); }

    /** {@code torch.empty_strided}: a zero-filled tensor viewed through the given strides (storage of the extent they reach). */
    public static Tensor emptyStrided(int[] size, int[] stride, DType dtype) { return Creation.emptyStrided(size, stride, dtype, Device.CPU); }

    /** {@code x.new_zeros(size, dtype=...)}: a fresh tensor on x's device; unlike {@code zeros_like} it takes its own shape. */
    public Tensor newZeros(int[] shape, DType dtype) { return Creation.zeros(shape, dtype, device()); }

    public Tensor newZeros(int... shape) { return newZeros(shape, dtype()); }

    /** {@code x.new_ones(size, dtype=...)}, as {@link #newZeros}. */
    public Tensor newOnes(int[] shape, DType dtype) { return Creation.full(shape, 1, dtype, device()); }

    public Tensor newOnes(int... shape) { return newOnes(shape, dtype()); }

    /** {@code x.new_empty(size, dtype=...)}, as {@link #newZeros} (fresh storage is zero-filled). */
    public Tensor newEmpty(int[] shape, DType dtype) { return newZeros(shape, dtype); }

    public Tensor newEmpty(int... shape) { return newZeros(shape, dtype()); }

    /** {@code x.new_full(size, value)}: x's dtype (the value converted to it, checked as {@link #full} checks) and device. */
    public Tensor newFull(int[] shape, double value) { return newFull(shape, value, dtype()); }

    public Tensor newFull(int[] shape, double value, DType dtype) { return Creation.full(shape, value, dtype, device()); }

    public Tensor newFull(int[] shape, long value) { return newFull(shape, value, dtype()); }

    public Tensor newFull(int[] shape, long value, DType dtype) { return Creation.fullLong(shape, value, dtype, device()); }

    /** {@code x.new_tensor(data)}: nested Java arrays as {@link #tensor(Object)} reads them, in x's dtype (not inferred) and on x's device. */
    public Tensor newTensor(Object data) { return newTensor(data, dtype()); }

    public Tensor newTensor(Object data, DType dtype) { return NestedData.tensor(data, dtype).to(device()); }

    /** {@code Tensor.new_empty_strided}: {@link #emptyStrided} with this tensor's dtype and device. */
    public Tensor newEmptyStrided(int[] size, int[] stride) { return Creation.emptyStrided(size, stride, dtype(), device()); }

    // The *_like factories lay their result out like t (PyTorch's preserve_format): zerosLike(x.t()) is transposed.

    public static Tensor emptyLike(Tensor t) { return Creation.like(t, Creation.zeros(t.layout.shape(), t.dtype(), t.device())); }

    public static Tensor zerosLike(Tensor t) { return zerosLike(t, t.dtype()); }

    public static Tensor zerosLike(Tensor t, DType dtype) { return Creation.like(t, Creation.zeros(t.layout.shape(), dtype, t.device())); }

    public static Tensor onesLike(Tensor t) { return onesLike(t, t.dtype()); }

    public static Tensor onesLike(Tensor t, DType dtype) { return Creation.like(t, Creation.full(t.layout.shape(), 1, dtype, t.device())); }

    public static Tensor fullLike(Tensor t, double value) { return Creation.like(t, Creation.full(t.layout.shape(), value, t.dtype(), t.device())); }

    public static Tensor fullLike(Tensor t, long value) { return Creation.like(t, Creation.fullLong(t.layout.shape(), value, t.dtype(), t.device())); }

    public static Tensor randLike(Tensor t, DType dtype) { return Creation.like(t, Sampling.rand(Generator.defaultGenerator(), t.layout.shape(), dtype).to(t.device())); }

    public static Tensor randLike(Tensor t) { return Creation.like(t, Sampling.rand(Generator.defaultGenerator(), t.layout.shape(), t.dtype()).to(t.device())); }

    public static Tensor randnLike(Tensor t) { return Creation.like(t, Sampling.randn(Generator.defaultGenerator(), t.layout.shape(), t.dtype()).to(t.device())); }

    public static Tensor randnLike(Tensor t, DType dtype) { return Creation.like(t, Sampling.randn(Generator.defaultGenerator(), t.layout.shape(), dtype).to(t.device())); }

    public static Tensor randintLike(Tensor t, long low, long high) {
        return Creation.like(t, Sampling.randint(Generator.defaultGenerator(), low, high, t.layout.shape(), t.dtype()).to(t.device()));
    }

    /** {@code arange(end)}: int64 values 0..end-1. */
    public static Tensor arange(long end) { return arange(0, end, 1); }

    public static Tensor arange(long start, long end) { return arange(start, end, 1); }

    public static Tensor arange(long start, long end, long step) { return arange(start, end, step, DType.INT64); }

    /** {@code arange} with integral bounds and an explicit dtype (which may be floating). */
    public static Tensor arange(long start, long end, long step, DType dtype) {
        return Ranges.arange(Scalar.of(start), Scalar.of(end), Scalar.of(step), dtype);
    }

    /** {@code arange(5.0)}: floating bounds give float32, as Python floats do in PyTorch. */
    public static Tensor arange(double end) { return arange(0, end, 1, DefaultDtype.get()); }

    public static Tensor arange(double start, double end) { return arange(start, end, 1, DefaultDtype.get()); }

    public static Tensor arange(double start, double end, double step) { return arange(start, end, step, DefaultDtype.get()); }

    /** Length {@code ceil((end - start) / step)}, values {@code start + i * step} rounded as PyTorch's CPU kernel rounds them. */
    public static Tensor arange(double start, double end, double step, DType dtype) {
        return Ranges.arange(Scalar.of(start), Scalar.of(end), Scalar.of(step), dtype);
    }

    public static Tensor linspace(double start, double end, int steps) { return linspace(start, end, steps, DefaultDtype.get()); }

    /** Values equal PyTorch 1.13's CPU {@code linspace} bit for bit (see {@link Ranges}). */
    public static Tensor linspace(double start, double end, int steps, DType dtype) { return Ranges.linspace(Scalar.of(start), Scalar.of(end), steps, dtype); }

    /** {@code linspace} with integral ends: they convert to the dtype as Python ints do ({@code -3} wraps to 253 in uint8). */
    public static Tensor linspace(long start, long end, int steps, DType dtype) { return Ranges.linspace(Scalar.of(start), Scalar.of(end), steps, dtype); }

    public static Tensor logspace(double start, double end, int steps) { return logspace(start, end, steps, 10.0, DefaultDtype.get()); }

    public static Tensor logspace(double start, double end, int steps, double base) { return logspace(start, end, steps, base, DefaultDtype.get()); }

    public static Tensor logspace(double start, double end, int steps, double base, DType dtype) {
        return Ranges.logspace(Scalar.of(start), Scalar.of(end), steps, base, dtype);
    }

    /** {@code logspace} with integral ends, which convert to the dtype as Python ints do (as in {@code linspace}). */
    public static Tensor logspace(long start, long end, int steps, double base, DType dtype) {
        return Ranges.logspace(Scalar.of(start), Scalar.of(end), steps, base, dtype);
    }

    public static Tensor eye(int n) { return Creation.eye(n, n, DefaultDtype.get()); }

    public static Tensor eye(int n, int m) { return Creation.eye(n, m, DefaultDtype.get()); }

    public static Tensor eye(int n, int m, DType dtype) { return Creation.eye(n, m, dtype); }

    /** Sets the seed of the default generator ({@code torch.manual_seed}). */
    public static long initialSeed() { return Generator.defaultGenerator().initialSeed(); }

    public static void manualSeed(long seed) { Generator.defaultGenerator().manualSeed(seed); }

    public static Tensor rand(int... shape) { return Sampling.rand(Generator.defaultGenerator(), shape, DefaultDtype.get()); }

    public static Tensor rand(Generator g, int... shape) { return Sampling.rand(g, shape, DefaultDtype.get()); }

    public static Tensor rand(Generator g, int[] shape, DType dtype) { return Sampling.rand(g, shape, dtype); }

    public static Tensor randn(int... shape) { return Sampling.randn(Generator.defaultGenerator(), shape, DefaultDtype.get()); }

    public static Tensor randn(Generator g, int... shape) { return Sampling.randn(g, shape, DefaultDtype.get()); }

    public static Tensor randn(Generator g, int[] shape, DType dtype) { return Sampling.randn(g, shape, dtype); }

    /** Integers uniform in {@code [low, high)}, int64. */
    public static Tensor randint(long low, long high, int... shape) { return Sampling.randint(Generator.defaultGenerator(), low, high, shape, DType.INT64); }

    public static Tensor randint(Generator g, long low, long high, int... shape) { return Sampling.randint(g, low, high, shape, DType.INT64); }

    /** {@code randint(low, high, shape, dtype=...)}: both ends must fit the dtype. */
    public static Tensor randint(Generator g, long low, long high, int[] shape, DType dtype) { return Sampling.randint(g, low, high, shape, dtype); }

    public static Tensor randperm(int n) { return Sampling.randperm(Generator.defaultGenerator(), n); }

    public static Tensor randperm(Generator g, int n) { return Sampling.randperm(g, n); }

    public static Tensor normal(double mean, double std, int... shape) { return normal(Generator.defaultGenerator(), mean, std, shape); }

    public static Tensor normal(Generator g, double mean, double std, int... shape) { return Sampling.normal(g, mean, std, shape, DefaultDtype.get()); }

    /** {@code normal(mean, std)} with tensor parameters, elementwise and broadcast; mean's dtype. */
    public static Tensor normal(Tensor mean, Tensor std) { return Sampling.normal(Generator.defaultGenerator(), mean, std); }

    public static Tensor normal(Generator g, Tensor mean, Tensor std) { return Sampling.normal(g, mean, std); }

    public static Tensor normal(Tensor mean, double std) { return Sampling.normal(Generator.defaultGenerator(), mean, std); }

    public static Tensor normal(Generator g, Tensor mean, double std) { return Sampling.normal(g, mean, std); }

    public static Tensor normal(double mean, Tensor std) { return Sampling.normal(Generator.defaultGenerator(), mean, std); }

    public static Tensor normal(Generator g, double mean, Tensor std) { return Sampling.normal(g, mean, std); }

    /** Draws 0/1 with probabilities {@code p} ({@code torch.bernoulli(p)}). */
    public static Tensor bernoulli(Tensor p) { return Sampling.bernoulli(Generator.defaultGenerator(), p); }

    public static Tensor bernoulli(Generator g, Tensor p) { return Sampling.bernoulli(g, p); }

    /** {@code torch.bernoulli(input, p)}: input's shape and dtype, each element 1 with probability p. */
    public static Tensor bernoulli(Tensor input, double p) { return Sampling.bernoulli(Generator.defaultGenerator(), input, p); }

    public static Tensor bernoulli(Generator g, Tensor input, double p) { return Sampling.bernoulli(g, input, p); }

    public Tensor uniform_(double from, double to) { return Sampling.uniform_(this, Generator.defaultGenerator(), from, to); }

    public Tensor uniform_(Generator g, double from, double to) { return Sampling.uniform_(this, g, from, to); }

    /** {@code random_(to)}: integers uniform in [0, to), in this tensor's dtype. */
    public Tensor random_(long to) { return Sampling.random_(this, Generator.defaultGenerator(), 0, to, "RandomBackward1"); }

    public Tensor random_(long from, long to) { return Sampling.random_(this, Generator.defaultGenerator(), from, to, "RandomBackward0"); }

    public Tensor random_(Generator g, long from, long to) { return Sampling.random_(this, g, from, to, "RandomBackward0"); }

    public Tensor normal_(double mean, double std) { return Sampling.normal_(this, Generator.defaultGenerator(), mean, std); }

    public Tensor normal_(Generator g, double mean, double std) { return Sampling.normal_(this, g, mean, std); }

    public Tensor bernoulli_(double p) { return Sampling.bernoulli_(this, Generator.defaultGenerator(), p); }

    public Tensor bernoulli_(Generator g, double p) { return Sampling.bernoulli_(this, g, p); }

    public Tensor bernoulli_(Tensor p) { return Sampling.bernoulli_(this, Generator.defaultGenerator(), p); }

    public Tensor bernoulli_(Generator g, Tensor p) { return Sampling.bernoulli_(this, g, p); }

    /** {@code exponential_(lambd=1)}: samples of rate {@code lambd}. */
    public Tensor exponential_() { return exponential_(1.0); }

    public Tensor exponential_(double lambd) { return Distributions.exponential_(this, Generator.defaultGenerator(), lambd); }

    public Tensor exponential_(Generator g, double lambd) { return Distributions.exponential_(this, g, lambd); }

    /** {@code geometric_(p)}: the number of Bernoulli(p) trials up to the first success (at least 1). */
    public Tensor geometric_(double p) { return Distributions.geometric_(this, Generator.defaultGenerator(), p); }

    public Tensor geometric_(Generator g, double p) { return Distributions.geometric_(this, g, p); }

    /** {@code cauchy_(median=0, sigma=1)}. */
    public Tensor cauchy_() { return cauchy_(0.0, 1.0); }

    public Tensor cauchy_(double median, double sigma) { return Distributions.cauchy_(this, Generator.defaultGenerator(), median, sigma); }

    public Tensor cauchy_(Generator g, double median, double sigma) { return Distributions.cauchy_(this, g, median, sigma); }

    /** {@code log_normal_(mean=1, std=2)}: exp of a normal sample. */
    public Tensor logNormal_() { return logNormal_(1.0, 2.0); }

    public Tensor logNormal_(double mean, double std) { return Distributions.logNormal_(this, Generator.defaultGenerator(), mean, std); }

    public Tensor logNormal_(Generator g, double mean, double std) { return Distributions.logNormal_(this, g, mean, std); }

    /** {@code random_()}: integers over [0, 2^digits] for a floating dtype, over [0, max] for an integer one. */
    public Tensor random_() { return Distributions.random_(this, Generator.defaultGenerator()); }

    public Tensor random_(Generator g) { return Distributions.random_(this, g); }

    /** {@code torch.poisson(rates)}. */
    public static Tensor poisson(Tensor rates) { return Distributions.poisson(Generator.defaultGenerator(), rates); }

    public static Tensor poisson(Generator g, Tensor rates) { return Distributions.poisson(g, rates); }

    /** {@code multinomial(num_samples, replacement=False)}: int64 category indices drawn from this tensor's weights (1 or 2 dims). */
    public Tensor multinomial(int numSamples) { return multinomial(numSamples, false); }

    public Tensor multinomial(int numSamples, boolean replacement) { return Distributions.multinomial(Generator.defaultGenerator(), this, numSamples, replacement); }

    public Tensor multinomial(Generator g, int numSamples, boolean replacement) { return Distributions.multinomial(g, this, numSamples, replacement); }

    // ---------------------------------------------------------------- conversion

    /** {@code to(dtype)}: this tensor when it already has the dtype, else a converted copy (differentiable). */
    public Tensor to(DType dtype) { return Pointwise.to(this, dtype); }

    public Tensor to(Device device) { return Pointwise.to(this, device); }

    /** {@code torch.result_type(a, b)}: the dtype an op on both would compute in ({@link DType#promote} is {@code promote_types}). */
    public static DType resultType(Tensor a, Tensor b) { return TypePromotion.resultType(a, b); }

    /** {@code torch.result_type(t, 2.5)}: a floating Python number promotes as the default dtype, float32. */
    public static DType resultType(Tensor t, double scalar) { return TypePromotion.resultTypeWithScalar(t, scalar); }

    /** {@code torch.result_type(t, 3)}: an integral Python number promotes as int64. */
    public static DType resultType(Tensor t, long scalar) { return TypePromotion.resultTypeWithScalar(t, scalar); }

    /** {@code torch.result_type(t, True)}. */
    public static DType resultType(Tensor t, boolean scalar) { return TypePromotion.resultTypeWithScalar(t, scalar); }

    public Tensor half() { return to(DType.FLOAT16); }

    public Tensor bfloat16() { return to(DType.BFLOAT16); }

    /** A copy with the same values and the same memory order (a transposed tensor's clone is transposed); {@code CloneBackward0}. */
    public Tensor clone() { return Movement.clone(this); }

    /** {@code clone(memory_format=...)}: {@link MemoryFormat#CONTIGUOUS} copies into row-major order even when this already is. */
    public Tensor clone(MemoryFormat format) { return format == MemoryFormat.CONTIGUOUS ? Movement.contiguousCopy(this) : clone(); }

    /** This tensor when row-major already, otherwise a row-major copy ({@code CloneBackward0}). */
    public Tensor contiguous() { return isContiguous() ? this : Movement.contiguousCopy(this); }

    // ---------------------------------------------------------------- views and movement

    public Tensor view(int... shape) { return Movement.view(this, shape); }

    public Tensor viewAs(Tensor other) { return view(other.layout.shape()); }

    public Tensor reshape(int... shape) { return Movement.reshape(this, shape); }

    public Tensor reshapeAs(Tensor other) { return reshape(other.layout.shape()); }

    public Tensor permute(int... dims) { return Movement.permute(this, dims); }

    /** {@code torch.movedim(x, source, destination)}: a permute that moves one dim, the others keep their order. */
    public Tensor movedim(int source, int destination) { return movedim(new int[] {source}, new int[] {destination}); }

    /** {@code torch.movedim(x, (s0, s1, ...), (d0, d1, ...))}: several dims moved at once. */
    public Tensor movedim(int[] source, int[] destination) { return Movement.movedim(this, source, destination); }

    /** {@code moveaxis}: numpy's name for {@link #movedim}. */
    public Tensor moveaxis(int source, int destination) { return movedim(source, destination); }

    public Tensor moveaxis(int[] source, int[] destination) { return movedim(source, destination); }

    public Tensor transpose(int dim0, int dim1) { return Movement.transpose(this, dim0, dim1); }

    /** {@code swapaxes} / {@code swapdims}: numpy's names for {@link #transpose}. */
    public Tensor swapaxes(int axis0, int axis1) { return transpose(axis0, axis1); }

    public Tensor swapdims(int dim0, int dim1) { return transpose(dim0, dim1); }

    /** {@code t()}: transpose of a tensor with at most 2 dims. */
    public Tensor t() { return Movement.t(this); }

    /** {@code mT}: transpose of the last two dims. */
    public Tensor mT() { return transpose(-2, -1); }

    /**
     * {@code adjoint()}: the conjugate transpose of the last two dims, for real dtypes their transpose (a view); a 0-dim
     * tensor is returned as it is, as PyTorch's.
     */
    public Tensor adjoint() {
        if (dim() == 1) throw new IllegalArgumentException("tensor.adjoint() is only supported on matrices or batches of matrices. Got 1-D tensor.");
        return dim() == 0 ? this : transpose(-2, -1);
    }

    public Tensor squeeze() { return Movement.squeeze(this, null); }

    public Tensor squeeze(int... dims) { return Movement.squeeze(this, dims); }

    public Tensor unsqueeze(int dim) { return Movement.unsqueeze(this, dim); }

    // in-place view ops: this tensor takes the view's layout (and, with autograd, its node), and is returned

    public Tensor t_() { return InPlaceViews.t_(this); }

    public Tensor transpose_(int dim0, int dim1) { return InPlaceViews.transpose_(this, dim0, dim1); }

    public Tensor swapaxes_(int axis0, int axis1) { return transpose_(axis0, axis1); }

    public Tensor swapdims_(int dim0, int dim1) { return transpose_(dim0, dim1); }

    public Tensor squeeze_() { return InPlaceViews.squeeze_(this, null); }

    public Tensor squeeze_(int dim) { return InPlaceViews.squeeze_(this, dim); }

    public Tensor unsqueeze_(int dim) { return InPlaceViews.unsqueeze_(this, dim); }

    /** {@code as_strided_(size, stride)}: keeps the current storage offset. */
    public Tensor asStrided_(int[] size, int[] stride) { return InPlaceViews.asStrided_(this, size, stride, storageOffset()); }

    public Tensor asStrided_(int[] size, int[] stride, int storageOffset) { return InPlaceViews.asStrided_(this, size, stride, storageOffset); }

    /**
     * {@code resize_(*sizes)}: a new row-major shape over the same storage, which grows (for every view of it) when
     * the shape needs more elements; elements it adds are unspecified, as in PyTorch. Not for tensors that require grad.
     */
    public Tensor resize_(int... size) { return Resize.resize_(this, size); }

    /** {@code resize_as_(other)}: {@code resize_(other.size())}. */
    public Tensor resizeAs_(Tensor other) { return Resize.resize_(this, other.layout.shape()); }

    public Tensor flatten() { return Movement.flatten(this, 0, -1); }

    public Tensor flatten(int startDim) { return Movement.flatten(this, startDim, -1); }

    public Tensor flatten(int startDim, int endDim) { return Movement.flatten(this, startDim, endDim); }

    public Tensor unflatten(int dim, int... sizes) { return Movement.unflatten(this, dim, sizes); }

    public Tensor narrow(int dim, int start, int length) { return Movement.narrow(this, dim, start, length); }

    /** {@code narrow_copy(dim, start, length)}: a contiguous copy of the narrowed view (no derivative in PyTorch 1.13). */
    public Tensor narrowCopy(int dim, int start, int length) { return ViewScatters.narrowCopy(this, dim, start, length); }

    /** {@code unfold(dim, size, step)}: a view of the windows of {@code size} along dim, {@code step} apart, as a new last dim. */
    public Tensor unfold(int dim, int size, int step) { return Movement.unfold(this, dim, size, step); }

    /** {@code torch.meshgrid(*tensors, indexing=...)}: "ij" (matrix) or "xy" (Cartesian) indexing. */
    public static List<Tensor> meshgrid(String indexing, Tensor... tensors) { return Movement.meshgrid(indexing, List.of(tensors)); }

    /** {@code repeat_interleave(repeats, dim)}: each slice along dim repeated; a null dim repeats the flattened elements. */
    public Tensor repeatInterleave(Tensor repeats, Integer dim) { return Indexing.repeatInterleave(this, repeats, dim); }

    public Tensor repeatInterleave(long repeats, Integer dim) { return repeatInterleave(Tensor.fromArray(new long[] {repeats}, 1), dim); }

    public Tensor repeatInterleave(long repeats) { return repeatInterleave(repeats, null); }

    /** {@code torch.repeat_interleave(repeats)}: {@code [0] * repeats[0] + [1] * repeats[1] + ...}. */
    public static Tensor repeatInterleave(Tensor repeats) { return Indexing.repeatInterleave(repeats); }

    /** {@code x.select(dim, i)} / {@code x[..., i, ...]}: drops the dim. */
    public Tensor select(int dim, int index) { return Movement.select(this, dim, index); }

    /** {@code x[..., start:end:step, ...]} along one dim, with Python's clamping of out-of-range bounds. */
    public Tensor slice(int dim, Integer start, Integer end, int step) { return Movement.slice(this, dim, start, end, step); }

    public Tensor slice(int dim, int start, int end) { return Movement.slice(this, dim, start, end, 1); }

    public Tensor expand(int... shape) { return Movement.expand(this, shape); }

    public Tensor expandAs(Tensor other) { return expand(other.layout.shape()); }

    public Tensor broadcastTo(int... shape) { return expand(shape); }

    /** {@code as_strided(size, stride, storage_offset)}: a view with an explicit geometry. */
    public Tensor asStrided(int[] size, int[] stride, int storageOffset) { return Movement.asStrided(this, size, stride, storageOffset); }

    /** {@code as_strided(size, stride)}: from this tensor's own storage offset, PyTorch's default. */
    public Tensor asStrided(int[] size, int[] stride) { return asStrided(size, stride, storageOffset()); }

    /** {@code torch.diag(x, diagonal)}: vector to diagonal matrix, or a matrix's diagonal as a new vector. */
    public Tensor diag(int diagonal) { return MatrixParts.diag(this, diagonal); }

    public Tensor diag() { return diag(0); }

    /** {@code torch.diag_embed(t, offset, dim1, dim2)}: the last dim placed on diagonals of new (dim1, dim2) planes. */
    public Tensor diagEmbed(int offset, int dim1, int dim2) { return MatrixParts.diagEmbed(this, offset, dim1, dim2); }

    /** {@code diag_embed()}: the last dim onto the main diagonal of two new last dims. */
    public Tensor diagEmbed() { return diagEmbed(0, -2, -1); }

    /** {@code torch.diagflat(t, offset)}: the flattened tensor as diagonal {@code offset} of a square matrix. */
    public Tensor diagflat(int offset) { return MatrixParts.diagflat(this, offset); }

    public Tensor diagflat() { return diagflat(0); }

    /** {@code torch.block_diag(tensors)}: the inputs (0-D and 1-D as one row) along the diagonal of a zero matrix. */
    public static Tensor blockDiag(Tensor... tensors) { return MatrixBuilders.blockDiag(List.of(tensors)); }

    /** {@code torch.cartesian_prod(tensors)}: every combination of one element from each vector, as rows. */
    public static Tensor cartesianProd(Tensor... tensors) { return MatrixBuilders.cartesianProd(List.of(tensors)); }

    /** {@code torch.combinations(t, r, with_replacement)}: the r-element combinations of this vector's elements, as rows. */
    public Tensor combinations(int r, boolean withReplacement) { return MatrixBuilders.combinations(this, r, withReplacement); }

    public Tensor combinations() { return combinations(2, false); }

    /** {@code torch.vander(x, N, increasing)}: the powers of each element of x as a row; a null N means x's length. */
    public static Tensor vander(Tensor x, Integer n, boolean increasing) { return MatrixBuilders.vander(x, n, increasing); }

    public static Tensor vander(Tensor x) { return vander(x, null, false); }

    /** {@code torch.tril_indices(row, col, offset, dtype)}: a [2, k] tensor of the lower triangle's positions. */
    public static Tensor trilIndices(int row, int col, int offset, DType dtype) { return MatrixBuilders.trilIndices(row, col, offset, dtype); }

    public static Tensor trilIndices(int row, int col, int offset) { return trilIndices(row, col, offset, DType.INT64); }

    /** {@code torch.triu_indices(row, col, offset, dtype)}: a [2, k] tensor of the upper triangle's positions. */
    public static Tensor triuIndices(int row, int col, int offset, DType dtype) { return MatrixBuilders.triuIndices(row, col, offset, dtype); }

    public static Tensor triuIndices(int row, int col, int offset) { return triuIndices(row, col, offset, DType.INT64); }

    /** {@code diagonal(offset, dim1, dim2)}: a view of a diagonal of the (dim1, dim2) planes, as the last dim. */
    public Tensor diagonal(int offset, int dim1, int dim2) { return MatrixParts.diagonal(this, offset, dim1, dim2); }

    public Tensor diagonal(int offset) { return diagonal(offset, 0, 1); }

    public Tensor diagonal() { return diagonal(0, 0, 1); }

    /** {@code trace()}: the sum of a matrix's main diagonal. */
    public Tensor trace() { return MatrixParts.trace(this); }

    /** {@code triu(diagonal)}: zero below diagonal k of each matrix in the last two dims. */
    public Tensor triu(int diagonal) { return MatrixParts.triu(this, diagonal); }

    public Tensor triu() { return triu(0); }

    public Tensor triu_(int diagonal) { return InPlace.result(this, s -> s.triu(diagonal)); }

    /** {@code tril(diagonal)}: zero above diagonal k of each matrix in the last two dims. */
    public Tensor tril(int diagonal) { return MatrixParts.tril(this, diagonal); }

    public Tensor tril() { return tril(0); }

    public Tensor tril_(int diagonal) { return InPlace.result(this, s -> s.tril(diagonal)); }

    public Tensor flip(int... dims) { return Movement.flip(this, dims); }

    /** {@code rot90(k, dims)}: k quarter turns in the plane of the two dims, from the first towards the second. */
    public Tensor rot90(int k, int[] dims) { return Movement.rot90(this, k, dims); }

    public Tensor rot90(int k) { return rot90(k, new int[] {0, 1}); }

    public Tensor rot90() { return rot90(1); }

    public Tensor tile(int... reps) { return Movement.tile(this, reps); }

    public Tensor repeat(int... repeats) { return Movement.repeat(this, repeats); }

    public Tensor roll(int shifts, int dim) { return Movement.roll(this, shifts, dim); }

    /** {@code roll(shifts, dims)}: rolls along each dim in turn; with no dims, the flattened tensor (one shift). */
    public Tensor roll(int[] shifts, int[] dims) { return Movement.roll(this, shifts, dims); }

    /** {@code roll(shifts)}: rolls the flattened tensor and restores its shape. */
    public Tensor roll(int shifts) { return roll(new int[] {shifts}, new int[0]); }

    public static Tensor cat(List<Tensor> tensors, int dim) { return Joining.cat(tensors, dim); }

    public static Tensor cat(List<Tensor> tensors) { return Joining.cat(tensors, 0); }

    public static Tensor stack(List<Tensor> tensors, int dim) { return Joining.stack(tensors, dim); }

    public static Tensor hstack(List<Tensor> tensors) { return Joining.hstack(tensors); }

    public static Tensor vstack(List<Tensor> tensors) { return Joining.vstack(tensors); }

    public static Tensor dstack(List<Tensor> tensors) { return Joining.dstack(tensors); }

    public static Tensor columnStack(List<Tensor> tensors) { return Joining.columnStack(tensors); }

    public static Tensor stack(List<Tensor> tensors) { return Joining.stack(tensors, 0); }

    /** {@code split(split_size, dim)}: pieces of {@code splitSize} (the last may be smaller). */
    public List<Tensor> split(int splitSize, int dim) { return Joining.split(this, splitSize, dim); }

    public List<Tensor> split(int splitSize) { return split(splitSize, 0); }

    /** {@code split([sizes], dim)}: pieces of the given sizes. */
    public List<Tensor> splitWithSizes(int[] sizes, int dim) { return Joining.splitWithSizes(this, sizes, dim); }

    /** {@code torch.tensor_split(x, sections, dim)}: sizes differ by at most one, the longer parts first. */
    public List<Tensor> tensorSplit(int sections, int dim) { return Joining.tensorSplit(this, sections, dim); }

    /** {@code torch.tensor_split(x, [i0, i1, ...], dim)}: split before each index. */
    public List<Tensor> tensorSplit(int[] indices, int dim) { return Joining.tensorSplit(this, indices, dim); }

    /** {@code torch.hsplit(x, sections)}: equal parts along dim 1 (dim 0 when 1-D). */
    public List<Tensor> hsplit(int sections) { return Joining.hsplit(this, sections); }

    public List<Tensor> hsplit(int[] indices) { return Joining.hsplit(this, indices); }

    /** {@code torch.vsplit(x, sections)}: equal parts along dim 0 of a tensor of at least 2 dims. */
    public List<Tensor> vsplit(int sections) { return Joining.vsplit(this, sections); }

    public List<Tensor> vsplit(int[] indices) { return Joining.vsplit(this, indices); }

    /** {@code torch.dsplit(x, sections)}: equal parts along dim 2 of a tensor of at least 3 dims. */
    public List<Tensor> dsplit(int sections) { return Joining.dsplit(this, sections); }

    public List<Tensor> dsplit(int[] indices) { return Joining.dsplit(this, indices); }

    public List<Tensor> chunk(int chunks, int dim) { return Joining.chunk(this, chunks, dim); }

    public List<Tensor> chunk(int chunks) { return chunk(chunks, 0); }

    /**
     * {@code unsafe_chunk}/{@code unsafe_split}: chunk's and split's parts, which autograd does not track as views of
     * this tensor (each has a version counter of its own): writing one in place is allowed and leaves this one's
     * history as it was.
     */
    public List<Tensor> unsafeChunk(int chunks, int dim) { return Joining.unsafeChunk(this, chunks, dim); }

    public List<Tensor> unsafeChunk(int chunks) { return unsafeChunk(chunks, 0); }

    public List<Tensor> unsafeSplit(int splitSize, int dim) { return Joining.unsafeSplit(this, splitSize, dim); }

    public List<Tensor> unsafeSplit(int splitSize) { return unsafeSplit(splitSize, 0); }

    public List<Tensor> unbind(int dim) { return Joining.unbind(this, dim); }

    public List<Tensor> unbind() { return unbind(0); }

    /** Sums a broadcast gradient back down to {@code shape} ({@code sum_to_size}). */
    public Tensor sumTo(int... shape) { return Movement.sumTo(this, shape); }

    /** {@code torch.fliplr}: flips dim 1 (the columns) of a tensor of at least 2 dims. */
    public Tensor fliplr() { return Movement.fliplr(this); }

    /** {@code torch.flipud}: flips dim 0 (the rows) of a tensor of at least 1 dim. */
    public Tensor flipud() { return Movement.flipud(this); }

    /** {@code torch.atleast_1d}: a 0-dim tensor reshaped to [1], anything else itself. */
    public Tensor atleast1d() { return Movement.atleast(this, 1); }

    /** {@code torch.atleast_2d}: [1, 1] from a 0-dim tensor, [1, n] from a 1-d one. */
    public Tensor atleast2d() { return Movement.atleast(this, 2); }

    /** {@code torch.atleast_3d}: [1, 1, 1], [1, n, 1] from 1-d, [m, n, 1] from 2-d. */
    public Tensor atleast3d() { return Movement.atleast(this, 3); }

    // ---------------------------------------------------------------- indexing

    /**
     * {@code x[i, j:k, None, ..., mask]}: each index is an Integer/Long (select), a {@link Idx} (slice,
     * newaxis, ellipsis), a Boolean, a Tensor (integer or boolean advanced indexing) or a String in Python syntax
     * ({@code x.index(":, 1::2")}, grammar in {@link Idx#parse}). Basic indices give a view, tensor indices a copy.
     */
    public Tensor index(Object... indices) { return Indexing.index(this, indices); }

    /** {@code x[indices] = value}, in place, with Python's setitem rules; {@code value} broadcasts. */
    public Tensor indexPut_(Object[] indices, Tensor value) { return Indexing.indexPut(this, indices, value, false); }

    public Tensor indexPut_(Object[] indices, double value) { return Indexing.indexPut(this, indices, scalarLike(value), false); }

    /** {@code x[indices] = -1} with a Python int, which converts as an int (-1 fits uint8). */
    public Tensor indexPut_(Object[] indices, long value) { return Indexing.indexPut(this, indices, Creation.fullLong(new int[0], value, dtype(), device()), false); }

    /**
     * {@code index_put_(indices, values, accumulate)}: with accumulate, duplicates add up. The indices may mix basic
     * and tensor indices as in {@link #index}; basic-only indices add into the view.
     */
    public Tensor indexPut_(Object[] indices, Tensor value, boolean accumulate) { return Indexing.indexPut(this, indices, value, accumulate); }

    /**
     * {@code torch.index_put(x, indices, values, accumulate)}: {@link #indexPut_(Object[], Tensor, boolean)} on a copy of
     * this tensor. Each index is an int64, bool or uint8 tensor, or null for Python's None (the whole dim).
     */
    public Tensor indexPut(Tensor[] indices, Tensor values, boolean accumulate) { return Indexing.indexPut(this, indices, values, accumulate); }

    public Tensor indexPut(Tensor[] indices, Tensor values) { return indexPut(indices, values, false); }

    public Tensor gather(int dim, Tensor index) { return Indexing.gather(this, dim, index); }

    /** {@code torch.take_along_dim(x, indices, dim)}, e.g. with {@code argsort(dim)}; {@code takeAlongDim(indices, null)} flattens. */
    public Tensor takeAlongDim(Tensor indices, Integer dim) { return Indexing.takeAlongDim(this, indices, dim); }

    public Tensor scatter(int dim, Tensor index, Tensor src) { return Indexing.scatter(this, dim, index, src, false, false); }

    public Tensor scatter(int dim, Tensor index, double value) { return Indexing.scatterValue(this, dim, index, Scalar.of(value), false); }

    public Tensor scatter(int dim, Tensor index, long value) { return Indexing.scatterValue(this, dim, index, Scalar.of(value), false); }

    public Tensor scatter_(int dim, Tensor index, Tensor src) { return Indexing.scatter(this, dim, index, src, false, true); }

    public Tensor scatter_(int dim, Tensor index, double value) { return Indexing.scatterValue(this, dim, index, Scalar.of(value), true); }

    public Tensor scatter_(int dim, Tensor index, long value) { return Indexing.scatterValue(this, dim, index, Scalar.of(value), true); }

    public Tensor scatterAdd(int dim, Tensor index, Tensor src) { return Indexing.scatter(this, dim, index, src, true, false); }

    public Tensor scatterAdd_(int dim, Tensor index, Tensor src) { return Indexing.scatter(this, dim, index, src, true, true); }

    /** {@code scatter(dim, index, src, reduce)} with reduce "add" or "multiply" (PyTorch 1.13 cannot differentiate it). */
    public Tensor scatter(int dim, Tensor index, Tensor src, String reduce) { return ScatterReduce.scatter(this, dim, index, src, reduce, false); }

    public Tensor scatter(int dim, Tensor index, double value, String reduce) { return ScatterReduce.scatterValue(this, dim, index, value, reduce, false); }

    public Tensor scatter(int dim, Tensor index, long value, String reduce) { return ScatterReduce.scatterValue(this, dim, index, value, reduce, false); }

    public Tensor scatter_(int dim, Tensor index, Tensor src, String reduce) { return ScatterReduce.scatter(this, dim, index, src, reduce, true); }

    public Tensor scatter_(int dim, Tensor index, double value, String reduce) { return ScatterReduce.scatterValue(this, dim, index, value, reduce, true); }

    public Tensor scatter_(int dim, Tensor index, long value, String reduce) { return ScatterReduce.scatterValue(this, dim, index, value, reduce, true); }

    /** {@code scatter_reduce(dim, index, src, reduce, include_self)} with reduce "sum", "prod", "mean", "amax" or "amin". */
    public Tensor scatterReduce(int dim, Tensor index, Tensor src, String reduce, boolean includeSelf) {
        return ScatterReduce.scatterReduce(this, dim, index, src, reduce, includeSelf, false);
    }

    public Tensor scatterReduce(int dim, Tensor index, Tensor src, String reduce) { return scatterReduce(dim, index, src, reduce, true); }

    public Tensor scatterReduce_(int dim, Tensor index, Tensor src, String reduce, boolean includeSelf) {
        return ScatterReduce.scatterReduce(this, dim, index, src, reduce, includeSelf, true);
    }

    public Tensor scatterReduce_(int dim, Tensor index, Tensor src, String reduce) { return scatterReduce_(dim, index, src, reduce, true); }

    public Tensor indexSelect(int dim, Tensor index) { return Indexing.indexSelect(this, dim, index); }

    public Tensor indexAdd(int dim, Tensor index, Tensor source) { return Indexing.indexAdd(this, dim, index, source, false); }

    public Tensor indexAdd_(int dim, Tensor index, Tensor source) { return Indexing.indexAdd(this, dim, index, source, true); }

    /** {@code index_copy(dim, index, source)}: rows of source written at the (non-negative) indices along dim; the last duplicate wins. */
    public Tensor indexCopy(int dim, Tensor index, Tensor source) { return IndexCopyFill.indexCopy(this, dim, index, source, false); }

    public Tensor indexCopy_(int dim, Tensor index, Tensor source) { return IndexCopyFill.indexCopy(this, dim, index, source, true); }

    /** {@code index_fill(dim, index, value)}: the slices at the indices (negative ones from the end) set to value. */
    public Tensor indexFill(int dim, Tensor index, double value) { return IndexCopyFill.indexFill(this, dim, index, Scalar.of(value), false); }

    /** With a Python int, converted as an int: -1 fills a uint8 tensor with 255. */
    public Tensor indexFill(int dim, Tensor index, long value) { return IndexCopyFill.indexFill(this, dim, index, Scalar.of(value), false); }

    /** {@code index_fill(dim, index, value)} with a 0-dim tensor value, which gets a gradient. */
    public Tensor indexFill(int dim, Tensor index, Tensor value) { return IndexCopyFill.indexFill(this, dim, index, value, false); }

    public Tensor indexFill_(int dim, Tensor index, double value) { return IndexCopyFill.indexFill(this, dim, index, Scalar.of(value), true); }

    public Tensor indexFill_(int dim, Tensor index, long value) { return IndexCopyFill.indexFill(this, dim, index, Scalar.of(value), true); }

    public Tensor indexFill_(int dim, Tensor index, Tensor value) { return IndexCopyFill.indexFill(this, dim, index, value, true); }

    public Tensor maskedSelect(Tensor mask) { return Masking.maskedSelect(this, mask); }

    public Tensor maskedFill(Tensor mask, double value) { return Masking.maskedFill(this, mask, value, false); }

    public Tensor maskedFill(Tensor mask, long value) { return Masking.maskedFill(this, mask, value, false); }

    public Tensor maskedFill(Tensor mask, Tensor value) { return Masking.maskedFill(this, mask, value, false); }

    public Tensor maskedFill_(Tensor mask, double value) { return Masking.maskedFill(this, mask, value, true); }

    public Tensor maskedFill_(Tensor mask, long value) { return Masking.maskedFill(this, mask, value, true); }

    public Tensor maskedFill_(Tensor mask, Tensor value) { return Masking.maskedFill(this, mask, value, true); }

    /** {@code take(index)}: elements of the flattened tensor. */
    public Tensor take(Tensor index) { return Indexing.take(this, index); }

    /** {@code put(index, source, accumulate)}: take's inverse, writing (or adding) at flattened positions. */
    public Tensor put(Tensor index, Tensor source, boolean accumulate) { return Put.put(this, index, source, accumulate, false); }

    public Tensor put(Tensor index, Tensor source) { return put(index, source, false); }

    public Tensor put_(Tensor index, Tensor source, boolean accumulate) { return Put.put(this, index, source, accumulate, true); }

    public Tensor put_(Tensor index, Tensor source) { return put_(index, source, false); }

    /** {@code masked_scatter(mask, source)}: source's leading elements, in order, where the mask holds. */
    public Tensor maskedScatter(Tensor mask, Tensor source) { return Masking.maskedScatter(this, mask, source, false); }

    public Tensor maskedScatter_(Tensor mask, Tensor source) { return Masking.maskedScatter(this, mask, source, true); }

    /** {@code select_scatter(src, dim, index)}: a copy with src written where {@code select(dim, index)} looks. */
    public Tensor selectScatter(Tensor src, int dim, int index) { return ViewScatters.selectScatter(this, src, dim, index); }

    /** {@code slice_scatter(src, dim, start, end, step)}: a copy with src written where the slice looks. */
    public Tensor sliceScatter(Tensor src, int dim, Integer start, Integer end, int step) { return ViewScatters.sliceScatter(this, src, dim, start, end, step); }

    public Tensor sliceScatter(Tensor src, int dim, Integer start, Integer end) { return sliceScatter(src, dim, start, end, 1); }

    /** {@code diagonal_scatter(src, offset, dim1, dim2)}: a copy with src written on the diagonal. */
    public Tensor diagonalScatter(Tensor src, int offset, int dim1, int dim2) { return ViewScatters.diagonalScatter(this, src, offset, dim1, dim2); }

    public Tensor diagonalScatter(Tensor src, int offset) { return diagonalScatter(src, offset, 0, 1); }

    public Tensor diagonalScatter(Tensor src) { return diagonalScatter(src, 0, 0, 1); }

    /** {@code nonzero()}: int64 [n, dim] coordinates of non-zero elements. */
    public Tensor nonzero() { return Masking.nonzero(this); }

    /** {@code nonzero(as_tuple=True)}: one int64 index tensor per dim. */
    public List<Tensor> nonzeroTuple() { return Masking.nonzeroTuple(this); }

    /** {@code torch.where(condition)}: the same as {@code condition.nonzero(as_tuple=True)}. */
    public static List<Tensor> where(Tensor condition) { return Masking.nonzeroTuple(condition); }

    /** {@code torch.where(condition, x, y)}. */
    public static Tensor where(Tensor condition, Tensor x, Tensor y) { return Pointwise.where(condition, x, y); }

    public static Tensor where(Tensor condition, Tensor x, double y) { return Pointwise.where(condition, x, x.wrap(y)); }

    public static Tensor where(Tensor condition, double x, Tensor y) { return Pointwise.where(condition, y.wrap(x), y); }

    /** {@code torch.where(c, x, 5)}: an integral number keeps an integer tensor's dtype. */
    public static Tensor where(Tensor condition, Tensor x, long y) { return Pointwise.where(condition, x, x.wrap(y)); }

    public static Tensor where(Tensor condition, long x, Tensor y) { return Pointwise.where(condition, y.wrap(x), y); }

    /** {@code x.where(condition, y)}: keeps x where condition holds, else y. */
    public Tensor where(Tensor condition, Tensor y) { return Pointwise.where(condition, this, y); }

    /** {@code torch.argwhere}: the indices of the nonzero elements, one row each (nonzero's result). */
    public Tensor argwhere() { return Masking.nonzero(this); }

    /** {@code torch.isin(elements, test_elements)}: whether each element is among {@code test}, as bool. */
    public Tensor isin(Tensor test) { return Membership.isin(this, test, false, false); }

    /** {@code torch.isin(elements, test_elements, assume_unique=, invert=)}. */
    public Tensor isin(Tensor test, boolean assumeUnique, boolean invert) { return Membership.isin(this, test, assumeUnique, invert); }

    public Tensor isin(double test) { return Membership.isin(this, wrap(test), false, false); }

    public Tensor isin(long test) { return Membership.isin(this, wrap(test), false, false); }

    /** {@code torch.isin(element, test_elements)} of a number: a 0-dim bool. */
    public static Tensor isin(double element, Tensor test) { return Membership.isin(test.wrap(element), test, false, false); }

    public static Tensor isin(long element, Tensor test) { return Membership.isin(test.wrap(element), test, false, false); }

    // ---------------------------------------------------------------- pointwise math

    public Tensor add(Tensor other) { return Pointwise.add(this, other, Scalar.ONE); }

    /** {@code torch.add(self, other, alpha=...)}: a double alpha is a Python float, which an integer result refuses. */
    public Tensor add(Tensor other, double alpha) { return Pointwise.add(this, other, Scalar.of(alpha)); }

    /** {@code alpha} as a Python int. */
    public Tensor add(Tensor other, long alpha) { return Pointwise.add(this, other, Scalar.of(alpha)); }

    public Tensor add(double other) { return Pointwise.add(this, wrap(other), Scalar.ONE); }

    /** {@code x + 2} with an integer scalar keeps an integer tensor's dtype. */
    public Tensor add(long other) { return Pointwise.add(this, wrap(other), Scalar.ONE); }

    public Tensor sub(Tensor other) { return Pointwise.sub(this, other, Scalar.ONE); }

    public Tensor sub(Tensor other, double alpha) { return Pointwise.sub(this, other, Scalar.of(alpha)); }

    public Tensor sub(Tensor other, long alpha) { return Pointwise.sub(this, other, Scalar.of(alpha)); }

    public Tensor sub(double other) { return Pointwise.sub(this, wrap(other), Scalar.ONE); }

    public Tensor sub(long other) { return Pointwise.sub(this, wrap(other), Scalar.ONE); }

    /** {@code rsub}: {@code other - this}. */
    public Tensor rsub(double other) { return Pointwise.sub(wrap(other), this, Scalar.ONE); }

    /** {@code other - this} with a Python int: an integer tensor stays integral. */
    public Tensor rsub(long other) { return Pointwise.sub(wrap(other), this, Scalar.ONE); }

    public Tensor mul(Tensor other) { return Pointwise.mul(this, other); }

    public Tensor mul(double other) { return Pointwise.mul(this, wrap(other)); }

    public Tensor mul(long other) { return Pointwise.mul(this, wrap(other)); }

    /** {@code torch.xlogy(self, other)}: {@code self * log(other)}, 0 where self is 0 (unless other is NaN). */
    public Tensor xlogy(Tensor other) { return Pointwise.xlogy(this, other); }

    public Tensor xlogy(double other) { return Pointwise.xlogy(this, wrap(other)); }

    /** {@code torch.xlogy(self, other)} with a Python-number self. */
    public static Tensor xlogy(double self, Tensor other) { return Pointwise.xlogy(other.wrap(self), other); }

    public Tensor xlogy_(Tensor other) { return InPlace.pointwise(this, x -> x[0].xlogy(x[1]), other); }

    public Tensor xlogy_(double other) { return InPlace.pointwise(this, s -> s.xlogy(other)); }

    public Tensor div(Tensor other) { return Pointwise.div(this, other, null); }

    public Tensor div(double other) { return Pointwise.div(this, wrap(other), null); }

    /** {@code div(other, rounding_mode)} with {@code "trunc"} or {@code "floor"}. */
    public Tensor div(Tensor other, String roundingMode) { return Pointwise.div(this, other, roundingMode); }

    public Tensor floorDivide(Tensor other) { return Pointwise.floorDivide(this, other); }

    public Tensor floorDivide(double other) { return Pointwise.floorDivide(this, wrap(other)); }

    public Tensor floorDivide(long other) { return Pointwise.floorDivide(this, wrap(other)); }

    public Tensor remainder(Tensor other) { return Pointwise.remainder(this, other); }

    public Tensor remainder(double other) { return Pointwise.remainder(this, wrap(other)); }

    public Tensor remainder(long other) { return Pointwise.remainder(this, wrap(other)); }

    public Tensor fmod(Tensor other) { return Pointwise.fmod(this, other); }

    public Tensor fmod(double other) { return Pointwise.fmod(this, wrap(other)); }

    public Tensor fmod(long other) { return Pointwise.fmod(this, wrap(other)); }

    public Tensor pow(Tensor exponent) { return Pointwise.pow(this, exponent); }

    public Tensor pow(double exponent) { return Pointwise.pow(this, exponent); }

    public Tensor pow(long exponent) { return Pointwise.pow(this, exponent); }

    /** {@code torch.pow(2.5, exponent)}: the base promotes as a Python float (an int exponent gives float32). */
    public static Tensor pow(double base, Tensor exponent) { return Pointwise.pow(exponent.wrap(base), exponent); }

    /** {@code torch.pow(2, exponent)}: the base promotes as a Python int (an int exponent stays int). */
    public static Tensor pow(long base, Tensor exponent) { return Pointwise.pow(exponent.wrap(base), exponent); }

    public Tensor atan2(Tensor other) { return Pointwise.atan2(this, other); }

    public Tensor maximum(Tensor other) { return Pointwise.maximum(this, other); }

    public Tensor minimum(Tensor other) { return Pointwise.minimum(this, other); }

    public Tensor neg() { return Pointwise.neg(this); }

    public Tensor abs() { return Pointwise.abs(this); }

    public Tensor sign() { return Pointwise.sign(this); }

    /** {@code sgn()}: the sign, as {@link #sign()} for real dtypes. */
    public Tensor sgn() { return Pointwise.sgn(this); }

    /** {@code angle()}: the argument of each element, for real dtypes pi below zero and 0 elsewhere (NaN stays NaN). */
    public Tensor angle() { return Pointwise.angle(this); }

    public Tensor reciprocal() { return Pointwise.reciprocal(this); }

    public Tensor square() { return Pointwise.square(this); }

    public Tensor exp() { return Pointwise.exp(this); }

    public Tensor exp2() { return Pointwise.exp2(this); }

    public Tensor expm1() { return Pointwise.expm1(this); }

    public Tensor log() { return Pointwise.log(this); }

    public Tensor log2() { return Pointwise.log2(this); }

    public Tensor log10() { return Pointwise.log10(this); }

    public Tensor log1p() { return Pointwise.log1p(this); }

    public Tensor sqrt() { return Pointwise.sqrt(this); }

    public Tensor rsqrt() { return Pointwise.rsqrt(this); }

    public Tensor sin() { return Pointwise.sin(this); }

    public Tensor cos() { return Pointwise.cos(this); }

    public Tensor tan() { return Pointwise.tan(this); }

    public Tensor asin() { return Pointwise.asin(this); }

    public Tensor acos() { return Pointwise.acos(this); }

    public Tensor atan() { return Pointwise.atan(this); }

    public Tensor sinh() { return Pointwise.sinh(this); }

    public Tensor cosh() { return Pointwise.cosh(this); }

    public Tensor tanh() { return Pointwise.tanh(this); }

    public Tensor sigmoid() { return Pointwise.sigmoid(this); }

    public Tensor relu() { return Pointwise.relu(this); }

    public Tensor erf() { return Pointwise.erf(this); }

    public Tensor erfc() { return SpecialFunctions.erfc(this); }

    public Tensor erfinv() { return SpecialFunctions.erfinv(this); }

    public Tensor asinh() { return SpecialFunctions.asinh(this); }

    public Tensor acosh() { return SpecialFunctions.acosh(this); }

    public Tensor atanh() { return SpecialFunctions.atanh(this); }

    public Tensor lgamma() { return SpecialFunctions.lgamma(this); }

    public Tensor digamma() { return SpecialFunctions.digamma(this); }

    /** {@code torch.polygamma(n, self)}: the n-th derivative of digamma. */
    public Tensor polygamma(int n) { return SpecialFunctions.polygamma(n, this); }

    /** sin(pi x) / (pi x), the normalized sinc. */
    public Tensor sinc() { return SpecialFunctions.sinc(this); }

    public Tensor logit() { return SpecialFunctions.logit(this, null); }

    /** {@code logit(eps=eps)}: the input clamped to [eps, 1 - eps] first. */
    public Tensor logit(double eps) { return SpecialFunctions.logit(this, eps); }

    public Tensor deg2rad() { return SpecialFunctions.deg2rad(this); }

    public Tensor rad2deg() { return SpecialFunctions.rad2deg(this); }

    /** {@code nan_to_num()}: NaN to 0, ±inf to the dtype's largest finite values. */
    public Tensor nanToNum() { return SpecialFunctions.nanToNum(this, 0, null, null); }

    /** {@code nan_to_num(nan, posinf, neginf)}; a null bound is the dtype's largest (lowest) finite value. */
    public Tensor nanToNum(double nan, Double posinf, Double neginf) { return SpecialFunctions.nanToNum(this, nan, posinf, neginf); }

    public Tensor signbit() { return SpecialFunctions.signbit(this); }

    public Tensor hypot(Tensor other) { return PairwiseMath.hypot(this, other); }

    /** The regularized lower incomplete gamma P(self, other) (torch.special.gammainc). */
    public Tensor igamma(Tensor other) { return PairwiseMath.igamma(this, other, false); }

    /** The regularized upper incomplete gamma Q(self, other) = 1 - P (torch.special.gammaincc). */
    public Tensor igammac(Tensor other) { return PairwiseMath.igamma(this, other, true); }

    public Tensor specialGammainc(Tensor other) { return igamma(other); }

    public Tensor specialGammaincc(Tensor other) { return igammac(other); }

    public Tensor logaddexp(Tensor other) { return PairwiseMath.logaddexp(this, other); }

    public Tensor logaddexp2(Tensor other) { return PairwiseMath.logaddexp2(this, other); }

    public Tensor copysign(Tensor other) { return PairwiseMath.copysign(this, other); }

    public Tensor copysign(double other) { return PairwiseMath.copysign(this, other); }

    public Tensor heaviside(Tensor values) { return PairwiseMath.heaviside(this, values, "heaviside"); }

    /** {@code float_power}: pow computed in float64. */
    public Tensor floatPower(Tensor exponent) { return PairwiseMath.floatPower(this, exponent); }

    public Tensor floatPower(double exponent) { return PairwiseMath.floatPower(this, exponent); }

    public static Tensor floatPower(double base, Tensor exponent) { return PairwiseMath.floatPower(base, exponent); }

    /** self * 2^other. */
    public Tensor ldexp(Tensor other) { return PairwiseMath.ldexp(this, other); }

    /** {@code true_divide}: an alias of {@link #div(Tensor)}. */
    public Tensor trueDivide(Tensor other) { return div(other); }

    public Tensor trueDivide(double other) { return div(other); }

    public Tensor floor() { return Pointwise.floor(this); }

    public Tensor ceil() { return Pointwise.ceil(this); }

    /** Rounds half to even, like {@code torch.round}. */
    public Tensor round() { return Pointwise.round(this); }

    public Tensor round(int decimals) { return Pointwise.round(this, decimals); }

    public Tensor trunc() { return Pointwise.trunc(this); }

    public Tensor frac() { return Pointwise.frac(this); }

    /** {@code clamp(min, max)}; either bound may be null. */
    public Tensor clamp(Double min, Double max) { return Clamping.clamp(this, Clamping.bound(min), Clamping.bound(max)); }

    public Tensor clamp(Tensor min, Tensor max) { return Clamping.clamp(this, min, max); }

    /** clamp with integer bounds: an integer tensor stays integer. */
    public Tensor clamp(long min, long max) { return Clamping.clamp(this, Scalar.of(min), Scalar.of(max)); }

    public Tensor clampMin(double min) { return Clamping.clampMin(this, Scalar.of(min)); }

    /** {@code clamp_min} with a Python int: an integer tensor stays integer. */
    public Tensor clampMin(long min) { return Clamping.clampMin(this, Scalar.of(min)); }

    /** {@code clip}: numpy's name for {@link #clamp(Double, Double)}. */
    public Tensor clip(Double min, Double max) { return clamp(min, max); }

    public Tensor clampMax(double max) { return Clamping.clampMax(this, Scalar.of(max)); }

    public Tensor clampMax(long max) { return Clamping.clampMax(this, Scalar.of(max)); }

    /** {@code lerp(end, weight)}: {@code this + weight * (end - this)}. */
    public Tensor lerp(Tensor end, double weight) { return FusedPointwise.lerp(this, end, Scalar.of(weight)); }

    public Tensor lerp(Tensor end, long weight) { return FusedPointwise.lerp(this, end, Scalar.of(weight)); }

    /** {@code addcmul(t1, t2, value)}: {@code this + value * t1 * t2}. */
    public Tensor addcmul(Tensor t1, Tensor t2, double value) { return FusedPointwise.addcmul(this, t1, t2, Scalar.of(value)); }

    /** {@code addcmul} with a Python-int value, which integer tensors take as it is. */
    public Tensor addcmul(Tensor t1, Tensor t2, long value) { return FusedPointwise.addcmul(this, t1, t2, Scalar.of(value)); }

    /** {@code addcdiv(t1, t2, value)}: {@code this + value * t1 / t2}. */
    public Tensor addcdiv(Tensor t1, Tensor t2, double value) { return FusedPointwise.addcdiv(this, t1, t2, Scalar.of(value)); }

    public Tensor addcdiv(Tensor t1, Tensor t2, long value) { return FusedPointwise.addcdiv(this, t1, t2, Scalar.of(value)); }

    /** {@code addcmul(t1, t2)} and {@code addcdiv(t1, t2)}: value 1, a Python int as PyTorch's default. */
    public Tensor addcmul(Tensor t1, Tensor t2) { return addcmul(t1, t2, 1L); }

    public Tensor addcdiv(Tensor t1, Tensor t2) { return addcdiv(t1, t2, 1L); }

    // the instance forms of the products, x.addmm(mat1, mat2, beta, alpha) for torch.addmm(x, mat1, mat2, ...)

    public Tensor addmm(Tensor mat1, Tensor mat2) { return addmm(this, mat1, mat2); }

    public Tensor addmm(Tensor mat1, Tensor mat2, double beta, double alpha) { return addmm(this, mat1, mat2, beta, alpha); }

    public Tensor addmm(Tensor mat1, Tensor mat2, long beta, double alpha) { return addmm(this, mat1, mat2, beta, alpha); }

    public Tensor addmv(Tensor mat, Tensor vec) { return addmv(this, mat, vec, 1L, 1); }

    public Tensor addmv(Tensor mat, Tensor vec, double beta, double alpha) { return addmv(this, mat, vec, beta, alpha); }

    public Tensor addmv(Tensor mat, Tensor vec, long beta, double alpha) { return addmv(this, mat, vec, beta, alpha); }

    public Tensor addr(Tensor vec1, Tensor vec2) { return addr(this, vec1, vec2); }

    public Tensor addr(Tensor vec1, Tensor vec2, double beta, double alpha) { return addr(this, vec1, vec2, beta, alpha); }

    public Tensor addr(Tensor vec1, Tensor vec2, long beta, long alpha) { return addr(this, vec1, vec2, beta, alpha); }

    public Tensor baddbmm(Tensor batch1, Tensor batch2) { return baddbmm(this, batch1, batch2); }

    public Tensor baddbmm(Tensor batch1, Tensor batch2, double beta, double alpha) { return baddbmm(this, batch1, batch2, beta, alpha); }

    public Tensor baddbmm(Tensor batch1, Tensor batch2, long beta, double alpha) { return baddbmm(this, batch1, batch2, beta, alpha); }

    public Tensor addbmm(Tensor batch1, Tensor batch2) { return addbmm(this, batch1, batch2, 1L, 1); }

    public Tensor addbmm(Tensor batch1, Tensor batch2, double beta, double alpha) { return addbmm(this, batch1, batch2, beta, alpha); }

    public Tensor addbmm(Tensor batch1, Tensor batch2, long beta, double alpha) { return addbmm(this, batch1, batch2, beta, alpha); }

    public Tensor eq(Tensor other) { return Comparisons.compare(dev.ember.tensor.spi.BinaryOp.EQ, this, other); }

    public Tensor eq(double other) { return Comparisons.compare(dev.ember.tensor.spi.BinaryOp.EQ, this, wrap(other)); }

    /** {@code x == 3} with an integral number compares in the tensor's integer dtype, exact for large int64 values. */
    public Tensor eq(long other) { return Comparisons.compare(dev.ember.tensor.spi.BinaryOp.EQ, this, wrap(other)); }

    public Tensor ne(Tensor other) { return Comparisons.compare(dev.ember.tensor.spi.BinaryOp.NE, this, other); }

    public Tensor ne(double other) { return Comparisons.compare(dev.ember.tensor.spi.BinaryOp.NE, this, wrap(other)); }

    public Tensor ne(long other) { return Comparisons.compare(dev.ember.tensor.spi.BinaryOp.NE, this, wrap(other)); }

    public Tensor gt(Tensor other) { return Comparisons.compare(dev.ember.tensor.spi.BinaryOp.GT, this, other); }

    public Tensor gt(double other) { return Comparisons.compare(dev.ember.tensor.spi.BinaryOp.GT, this, wrap(other)); }

    public Tensor gt(long other) { return Comparisons.compare(dev.ember.tensor.spi.BinaryOp.GT, this, wrap(other)); }

    public Tensor ge(Tensor other) { return Comparisons.compare(dev.ember.tensor.spi.BinaryOp.GE, this, other); }

    public Tensor ge(double other) { return Comparisons.compare(dev.ember.tensor.spi.BinaryOp.GE, this, wrap(other)); }

    public Tensor ge(long other) { return Comparisons.compare(dev.ember.tensor.spi.BinaryOp.GE, this, wrap(other)); }

    public Tensor lt(Tensor other) { return Comparisons.compare(dev.ember.tensor.spi.BinaryOp.LT, this, other); }

    public Tensor lt(double other) { return Comparisons.compare(dev.ember.tensor.spi.BinaryOp.LT, this, wrap(other)); }

    public Tensor lt(long other) { return Comparisons.compare(dev.ember.tensor.spi.BinaryOp.LT, this, wrap(other)); }

    public Tensor le(Tensor other) { return Comparisons.compare(dev.ember.tensor.spi.BinaryOp.LE, this, other); }

    public Tensor le(double other) { return Comparisons.compare(dev.ember.tensor.spi.BinaryOp.LE, this, wrap(other)); }

    public Tensor le(long other) { return Comparisons.compare(dev.ember.tensor.spi.BinaryOp.LE, this, wrap(other)); }

    public Tensor logicalNot() { return Pointwise.unaryBool(dev.ember.tensor.spi.UnaryOp.LOGICAL_NOT, this); }

    /** {@code bitwise_and} (Python's {@code &}) on integer and bool tensors; on bool masks it is logical and. */
    public Tensor bitwiseAnd(Tensor other) { return Bitwise.binary(dev.ember.tensor.spi.BinaryOp.BITWISE_AND, this, other); }

    public Tensor bitwiseAnd(long other) { return bitwiseAnd(wrap(other)); }

    public Tensor bitwiseAnd_(Tensor other) { return Bitwise.binary_(dev.ember.tensor.spi.BinaryOp.BITWISE_AND, this, other); }

    public Tensor bitwiseAnd_(long other) { return bitwiseAnd_(wrap(other)); }

    /** {@code bitwise_or} (Python's {@code |}). */
    public Tensor bitwiseOr(Tensor other) { return Bitwise.binary(dev.ember.tensor.spi.BinaryOp.BITWISE_OR, this, other); }

    public Tensor bitwiseOr(long other) { return bitwiseOr(wrap(other)); }

    public Tensor bitwiseOr_(Tensor other) { return Bitwise.binary_(dev.ember.tensor.spi.BinaryOp.BITWISE_OR, this, other); }

    public Tensor bitwiseOr_(long other) { return bitwiseOr_(wrap(other)); }

    /** {@code bitwise_xor} (Python's {@code ^}). */
    public Tensor bitwiseXor(Tensor other) { return Bitwise.binary(dev.ember.tensor.spi.BinaryOp.BITWISE_XOR, this, other); }

    public Tensor bitwiseXor(long other) { return bitwiseXor(wrap(other)); }

    public Tensor bitwiseXor_(Tensor other) { return Bitwise.binary_(dev.ember.tensor.spi.BinaryOp.BITWISE_XOR, this, other); }

    public Tensor bitwiseXor_(long other) { return bitwiseXor_(wrap(other)); }

    /** {@code bitwise_not} (Python's {@code ~}): the complement of an integer, logical not of a bool. */
    public Tensor bitwiseNot() { return Bitwise.not(this); }

    public Tensor bitwiseNot_() { return InPlace.pointwise(this, Tensor::bitwiseNot); }

    public Tensor logicalAnd(Tensor other) { return Comparisons.compare(dev.ember.tensor.spi.BinaryOp.LOGICAL_AND, this, other); }

    public Tensor logicalOr(Tensor other) { return Comparisons.compare(dev.ember.tensor.spi.BinaryOp.LOGICAL_OR, this, other); }

    public Tensor logicalXor(Tensor other) { return Comparisons.compare(dev.ember.tensor.spi.BinaryOp.LOGICAL_XOR, this, other); }

    /** In place: 1/0 in self's dtype; untracked by autograd, as in PyTorch 1.13 (self keeps its grad_fn). */
    public Tensor logicalAnd_(Tensor other) { return Comparisons.logical_(dev.ember.tensor.spi.BinaryOp.LOGICAL_AND, this, other); }

    public Tensor logicalOr_(Tensor other) { return Comparisons.logical_(dev.ember.tensor.spi.BinaryOp.LOGICAL_OR, this, other); }

    public Tensor logicalXor_(Tensor other) { return Comparisons.logical_(dev.ember.tensor.spi.BinaryOp.LOGICAL_XOR, this, other); }

    public Tensor logicalNot_() { return Comparisons.logicalNot_(this); }

    public Tensor isnan() { return Pointwise.unaryBool(dev.ember.tensor.spi.UnaryOp.ISNAN, this); }

    public Tensor isinf() { return Pointwise.unaryBool(dev.ember.tensor.spi.UnaryOp.ISINF, this); }

    public Tensor isfinite() { return Pointwise.unaryBool(dev.ember.tensor.spi.UnaryOp.ISFINITE, this); }

    /** {@code isneginf()}/{@code isposinf()}: bool, false for integers. */
    public Tensor isneginf() { return isFloatingPoint() ? eq(Double.NEGATIVE_INFINITY) : Tensor.zerosLike(this, DType.BOOL); }

    public Tensor isposinf() { return isFloatingPoint() ? eq(Double.POSITIVE_INFINITY) : Tensor.zerosLike(this, DType.BOOL); }

    /** {@code isreal()}: every element of a real dtype is real. */
    public Tensor isreal() { return onesLike(this, DType.BOOL); }

    // In-place comparisons: self becomes 1/0 in its own dtype (x.eq_(y)), with PyTorch's zero-gradient node.

    public Tensor eq_(Tensor other) { return Comparisons.compare_(dev.ember.tensor.spi.BinaryOp.EQ, this, other, false); }

    public Tensor eq_(double other) { return Comparisons.compare_(dev.ember.tensor.spi.BinaryOp.EQ, this, wrap(other), true); }

    public Tensor ne_(Tensor other) { return Comparisons.compare_(dev.ember.tensor.spi.BinaryOp.NE, this, other, false); }

    public Tensor ne_(double other) { return Comparisons.compare_(dev.ember.tensor.spi.BinaryOp.NE, this, wrap(other), true); }

    public Tensor lt_(Tensor other) { return Comparisons.compare_(dev.ember.tensor.spi.BinaryOp.LT, this, other, false); }

    public Tensor lt_(double other) { return Comparisons.compare_(dev.ember.tensor.spi.BinaryOp.LT, this, wrap(other), true); }

    public Tensor le_(Tensor other) { return Comparisons.compare_(dev.ember.tensor.spi.BinaryOp.LE, this, other, false); }

    public Tensor le_(double other) { return Comparisons.compare_(dev.ember.tensor.spi.BinaryOp.LE, this, wrap(other), true); }

    public Tensor gt_(Tensor other) { return Comparisons.compare_(dev.ember.tensor.spi.BinaryOp.GT, this, other, false); }

    public Tensor gt_(double other) { return Comparisons.compare_(dev.ember.tensor.spi.BinaryOp.GT, this, wrap(other), true); }

    public Tensor ge_(Tensor other) { return Comparisons.compare_(dev.ember.tensor.spi.BinaryOp.GE, this, other, false); }

    public Tensor ge_(double other) { return Comparisons.compare_(dev.ember.tensor.spi.BinaryOp.GE, this, wrap(other), true); }

    // PyTorch's aliases, for code translated line by line.

    public Tensor greater(Tensor other) { return gt(other); }

    public Tensor greaterEqual(Tensor other) { return ge(other); }

    public Tensor less(Tensor other) { return lt(other); }

    public Tensor lessEqual(Tensor other) { return le(other); }

    public Tensor notEqual(Tensor other) { return ne(other); }

    public Tensor absolute() { return abs(); }

    public Tensor absolute_() { return abs_(); }

    public Tensor negative() { return neg(); }

    public Tensor arccos() { return acos(); }

    public Tensor arcsin() { return asin(); }

    public Tensor arctan() { return atan(); }

    public Tensor arccosh() { return acosh(); }

    public Tensor arcsinh() { return asinh(); }

    public Tensor arctanh() { return atanh(); }

    public Tensor arctan2(Tensor other) { return atan2(other); }

    public Tensor divide(Tensor other) { return div(other); }

    public Tensor multiply(Tensor other) { return mul(other); }

    public Tensor subtract(Tensor other) { return sub(other); }

    public Tensor arccos_() { return acos_(); }

    public Tensor arcsin_() { return asin_(); }

    public Tensor arctan_() { return atan_(); }

    public Tensor arccosh_() { return acosh_(); }

    public Tensor arcsinh_() { return asinh_(); }

    public Tensor arctanh_() { return atanh_(); }

    public Tensor arctan2_(Tensor other) { return atan2_(other); }

    public Tensor negative_() { return neg_(); }

    public Tensor divide_(Tensor other) { return div_(other); }

    public Tensor multiply_(Tensor other) { return mul_(other); }

    public Tensor subtract_(Tensor other) { return sub_(other); }

    public Tensor clip_(Double min, Double max) { return clamp_(min, max); }

    public Tensor greater_(Tensor other) { return gt_(other); }

    public Tensor greaterEqual_(Tensor other) { return ge_(other); }

    public Tensor less_(Tensor other) { return lt_(other); }

    public Tensor lessEqual_(Tensor other) { return le_(other); }

    public Tensor notEqual_(Tensor other) { return ne_(other); }

    /** {@code torch.ger}: the deprecated name of {@link #outer}. */
    public Tensor ger(Tensor other) { return outer(other); }

    /** {@code fmax(other)}/{@code fmin(other)}: max/min ignoring a NaN on one side. */
    public Tensor fmax(Tensor other) { return PairwiseMath.fmax(this, other); }

    public Tensor fmin(Tensor other) { return PairwiseMath.fmin(this, other); }

    /** {@code ndim}/{@code ndimension()}: {@link #dim()}; {@code nelement()}: {@link #numel()}. */
    public int ndim() { return dim(); }

    public int ndimension() { return dim(); }

    public int nelement() { return numel(); }

    /** {@code is_signed()}: false for uint8 and bool. */
    public boolean isSigned() { return dtype() != DType.UINT8 && dtype() != DType.BOOL; }

    /** {@code is_same_size(other)}. */
    public boolean isSameSize(Tensor other) { return java.util.Arrays.equals(shape(), other.shape()); }

    /** {@code is_nonzero()}: the truth value of a one-element tensor, refused for others as Python's {@code bool(t)}. */
    public boolean isNonzero() {
        if (numel() != 1)
            throw new IllegalStateException("Boolean value of Tensor with " + (numel() == 0 ? "no values" : "more than one value") + " is ambiguous");
        return item() != 0 || isnan().itemBool();
    }

    /** {@code ravel()}: {@code contiguous().view(-1)}, as PyTorch writes it (so its node is ViewBackward0, not reshape's). */
    public Tensor ravel() { return contiguous().view(-1); }

    /** {@code msort()}: sorted along dim 0. */
    public Tensor msort() { return sort(0, false).values(); }

    /** {@code sum_to_size(size)}: summed down to a shape this tensor expands from. */
    public Tensor sumToSize(int... size) {
        if (!Shape.expandable(size, shape()))
            throw new IllegalArgumentException("size {" + Shape.str(size) + "} is not expandable to size {" + Shape.str(shape()) + "}.");
        return sumTo(size);
    }

    /** {@code fill_diagonal_(fill_value, wrap=False)}: the main diagonal set in place (see {@link MatrixParts#fillDiagonal_}). */
    public Tensor fillDiagonal_(double value) { return MatrixParts.fillDiagonal_(this, value, false); }

    public Tensor fillDiagonal_(double value, boolean wrap) { return MatrixParts.fillDiagonal_(this, value, wrap); }

    /** {@code cumsum_(dim)}/{@code cumprod_(dim)}: the scan written back into self (self keeps its dtype). */
    public Tensor cumsum_(int dim) { return InPlace.result(this, s -> s.cumsum(dim)); }

    public Tensor cumprod_(int dim) { return InPlace.result(this, s -> s.cumprod(dim)); }

    /** {@code addmm_(mat1, mat2, beta, alpha)} and the other in-place products: self = beta * self + alpha * product. */
    public Tensor addmm_(Tensor mat1, Tensor mat2, double beta, double alpha) { return InPlace.result(this, s -> addmm(s, mat1, mat2, beta, alpha), mat1, mat2); }

    public Tensor addmm_(Tensor mat1, Tensor mat2) { return InPlace.result(this, s -> addmm(s, mat1, mat2), mat1, mat2); }

    public Tensor addmv_(Tensor mat, Tensor vec, double beta, double alpha) { return InPlace.result(this, s -> addmv(s, mat, vec, beta, alpha), mat, vec); }

    public Tensor addbmm_(Tensor batch1, Tensor batch2, double beta, double alpha) { return InPlace.result(this, s -> addbmm(s, batch1, batch2, beta, alpha), batch1, batch2); }

    public Tensor baddbmm_(Tensor batch1, Tensor batch2, double beta, double alpha) { return InPlace.result(this, s -> baddbmm(s, batch1, batch2, beta, alpha), batch1, batch2); }

    public Tensor addmv_(Tensor mat, Tensor vec) { return InPlace.result(this, s -> s.addmv(mat, vec), mat, vec); }

    public Tensor addbmm_(Tensor batch1, Tensor batch2) { return InPlace.result(this, s -> s.addbmm(batch1, batch2), batch1, batch2); }

    public Tensor baddbmm_(Tensor batch1, Tensor batch2) { return InPlace.result(this, s -> baddbmm(s, batch1, batch2), batch1, batch2); }

    /** {@code torch.equal}: same shape and same values. */
    public boolean equal(Tensor other) { return Comparisons.equal(this, other); }

    /** {@code torch.isclose(self, other, rtol, atol, equal_nan)}: elementwise {@code |self - other| <= atol + rtol * |other|}. */
    public Tensor isclose(Tensor other, double rtol, double atol, boolean equalNan) { return Comparisons.isclose(this, other, rtol, atol, equalNan); }

    public Tensor isclose(Tensor other) { return isclose(other, 1e-5, 1e-8, false); }

    /** {@code torch.allclose(self, other, rtol, atol, equal_nan)}: {@code isclose(...).all()}. */
    public boolean allclose(Tensor other, double rtol, double atol, boolean equalNan) { return Comparisons.allclose(this, other, rtol, atol, equalNan); }

    public boolean allclose(Tensor other, double rtol, double atol) { return allclose(other, rtol, atol, false); }

    public boolean allclose(Tensor other) { return allclose(other, 1e-5, 1e-8, false); }

    /** {@code torch.positive}: the tensor itself (unary plus); bool refused as PyTorch does. */
    public Tensor positive() { return Pointwise.positive(this); }

    /** {@code torch.fix}: an alias of trunc. */
    public Tensor fix() { return trunc(); }

    /** {@code torch.frexp}: the mantissa (in [0.5, 1), the input's dtype) and the int32 exponent of each element. */
    public MantissaExponent frexp() { return FloatParts.frexp(this); }

    /** {@code torch.nextafter}: the next representable value after each element towards {@code other}. */
    public Tensor nextafter(Tensor other) { return FloatParts.nextafter(this, other); }

    /** {@code torch.i0}: the modified Bessel function of the first kind, order 0. */
    public Tensor i0() { return BesselFunctions.i0(this); }

    /** {@code torch.special.i0e}: i0 scaled by e^-|x|. */
    public Tensor specialI0e() { return BesselFunctions.i0e(this); }

    /** {@code torch.special.i1}: the modified Bessel function of the first kind, order 1. */
    public Tensor specialI1() { return BesselFunctions.i1(this); }

    /** {@code torch.special.i1e}: i1 scaled by e^-|x|. */
    public Tensor specialI1e() { return BesselFunctions.i1e(this); }

    /** {@code torch.mvlgamma(x, p)}: the multivariate log-gamma of dimension p. */
    public Tensor mvlgamma(int p) { return SpecialFunctions.mvlgamma(this, p); }

    /** {@code lerp(end, weight)} with a weight tensor (LerpBackward1). */
    public Tensor lerp(Tensor end, Tensor weight) { return FusedPointwise.lerp(this, end, weight); }

    /** {@code torch.gcd}: the greatest common divisor of integer tensors (gcd(0, 0) is 0). */
    public Tensor gcd(Tensor other) { return Bitwise.binary(dev.ember.tensor.spi.BinaryOp.GCD, this, other); }

    /** {@code torch.lcm}: the least common multiple of integer tensors, non-negative. */
    public Tensor lcm(Tensor other) { return Bitwise.binary(dev.ember.tensor.spi.BinaryOp.LCM, this, other); }

    /** {@code torch.bitwise_left_shift} ({@code <<}) of integer tensors; the count wraps as PyTorch 1.13's x86 kernel. */
    public Tensor bitwiseLeftShift(Tensor other) { return Bitwise.binary(dev.ember.tensor.spi.BinaryOp.LSHIFT, this, other); }

    public Tensor bitwiseLeftShift(long other) { return bitwiseLeftShift(wrap(other)); }

    /** {@code torch.bitwise_left_shift(number, tensor)}. */
    public static Tensor bitwiseLeftShift(long self, Tensor other) { return other.wrap(self).bitwiseLeftShift(other); }

    /** {@code torch.bitwise_right_shift} ({@code >>}): arithmetic for signed types. */
    public Tensor bitwiseRightShift(Tensor other) { return Bitwise.binary(dev.ember.tensor.spi.BinaryOp.RSHIFT, this, other); }

    public Tensor bitwiseRightShift(long other) { return bitwiseRightShift(wrap(other)); }

    public static Tensor bitwiseRightShift(long self, Tensor other) { return other.wrap(self).bitwiseRightShift(other); }

    /** {@code torch.kron}: the Kronecker product. */
    public Tensor kron(Tensor other) { return TensorProducts.kron(this, other); }

    /** {@code torch.vdot}: the dot product of two 1-d tensors (the first conjugated, a no-op for real ones). */
    public Tensor vdot(Tensor other) { return Linalg.dot(this, other, "VdotBackward0"); }

    /** {@code torch.diff(input)}: the first forward difference along the last dim. */
    public Tensor diff() { return Differences.diff(this, 1, -1, null, null); }

    /** {@code torch.diff(input, n, dim)}. */
    public Tensor diff(int n, int dim) { return Differences.diff(this, n, dim, null, null); }

    /** {@code torch.diff(input, n, dim, prepend, append)}: prepend/append (either may be null) joined along dim first. */
    public Tensor diff(int n, int dim, Tensor prepend, Tensor append) { return Differences.diff(this, n, dim, prepend, append); }

    /** {@code torch.trapezoid(y)}: the trapezoid rule along the last dim, spacing 1. */
    public Tensor trapezoid() { return Differences.trapezoid(this, 1.0, -1); }

    /** {@code torch.trapezoid(y, dx=dx, dim=dim)}. */
    public Tensor trapezoid(double dx, int dim) { return Differences.trapezoid(this, dx, dim); }

    /** {@code torch.trapezoid(y, x, dim=dim)}: at the sample points x. */
    public Tensor trapezoid(Tensor x, int dim) { return Differences.trapezoid(this, x, dim); }

    /** {@code torch.trapz}: an alias of trapezoid. */
    public Tensor trapz() { return trapezoid(); }

    public Tensor trapz(double dx, int dim) { return trapezoid(dx, dim); }

    public Tensor trapz(Tensor x, int dim) { return trapezoid(x, dim); }

    /** {@code torch.cumulative_trapezoid(y)}: the running trapezoid rule along the last dim, spacing 1. */
    public Tensor cumulativeTrapezoid() { return Differences.cumulativeTrapezoid(this, 1.0, -1); }

    public Tensor cumulativeTrapezoid(double dx, int dim) { return Differences.cumulativeTrapezoid(this, dx, dim); }

    public Tensor cumulativeTrapezoid(Tensor x, int dim) { return Differences.cumulativeTrapezoid(this, x, dim); }

    // ---------------------------------------------------------------- in-place pointwise

    public Tensor add_(Tensor other) { return InPlace.apply(dev.ember.tensor.spi.BinaryOp.ADD, this, other, Scalar.ONE); }

    public Tensor add_(Tensor other, double alpha) { return InPlace.apply(dev.ember.tensor.spi.BinaryOp.ADD, this, other, Scalar.of(alpha)); }

    public Tensor add_(Tensor other, long alpha) { return InPlace.apply(dev.ember.tensor.spi.BinaryOp.ADD, this, other, Scalar.of(alpha)); }

    public Tensor add_(double other) { return InPlace.apply(dev.ember.tensor.spi.BinaryOp.ADD, this, wrap(other), Scalar.ONE); }

    /** {@code add_} with a Python int: allowed on an integer tensor, where a Python float is not. */
    public Tensor add_(long other) { return InPlace.apply(dev.ember.tensor.spi.BinaryOp.ADD, this, wrap(other), Scalar.ONE); }

    public Tensor sub_(Tensor other) { return InPlace.apply(dev.ember.tensor.spi.BinaryOp.SUB, this, other, Scalar.ONE); }

    public Tensor sub_(Tensor other, double alpha) { return InPlace.apply(dev.ember.tensor.spi.BinaryOp.SUB, this, other, Scalar.of(alpha)); }

    public Tensor sub_(Tensor other, long alpha) { return InPlace.apply(dev.ember.tensor.spi.BinaryOp.SUB, this, other, Scalar.of(alpha)); }

    public Tensor sub_(double other) { return InPlace.apply(dev.ember.tensor.spi.BinaryOp.SUB, this, wrap(other), Scalar.ONE); }

    public Tensor sub_(long other) { return InPlace.apply(dev.ember.tensor.spi.BinaryOp.SUB, this, wrap(other), Scalar.ONE); }

    public Tensor mul_(Tensor other) { return InPlace.apply(dev.ember.tensor.spi.BinaryOp.MUL, this, other, Scalar.ONE); }

    public Tensor mul_(double other) { return InPlace.apply(dev.ember.tensor.spi.BinaryOp.MUL, this, wrap(other), Scalar.ONE); }

    public Tensor mul_(long other) { return InPlace.apply(dev.ember.tensor.spi.BinaryOp.MUL, this, wrap(other), Scalar.ONE); }

    public Tensor div_(Tensor other) { return InPlace.apply(dev.ember.tensor.spi.BinaryOp.DIV, this, other, Scalar.ONE); }

    public Tensor div_(double other) { return InPlace.apply(dev.ember.tensor.spi.BinaryOp.DIV, this, wrap(other), Scalar.ONE); }

    public Tensor div_(long other) { return InPlace.apply(dev.ember.tensor.spi.BinaryOp.DIV, this, wrap(other), Scalar.ONE); }

    public Tensor pow_(double exponent) { return InPlace.pow_(this, exponent); }

    /** {@code pow_} with a Python int exponent: an integer tensor keeps its dtype. */
    public Tensor pow_(long exponent) { return InPlace.pow_(this, exponent); }

    public Tensor neg_() { return InPlace.pointwise(this, Tensor::neg); }

    public Tensor abs_() { return InPlace.pointwise(this, Tensor::abs); }

    public Tensor exp_() { return InPlace.pointwise(this, Tensor::exp); }

    // the remaining unary ops in place, each as PyTorch's loop writes it (see InPlace.pointwise)
    public Tensor sin_() { return InPlace.pointwise(this, Tensor::sin); }

    public Tensor cos_() { return InPlace.pointwise(this, Tensor::cos); }

    public Tensor tan_() { return InPlace.pointwise(this, Tensor::tan); }

    public Tensor asin_() { return InPlace.pointwise(this, Tensor::asin); }

    public Tensor acos_() { return InPlace.pointwise(this, Tensor::acos); }

    public Tensor atan_() { return InPlace.pointwise(this, Tensor::atan); }

    public Tensor sinh_() { return InPlace.pointwise(this, Tensor::sinh); }

    public Tensor cosh_() { return InPlace.pointwise(this, Tensor::cosh); }

    public Tensor erf_() { return InPlace.pointwise(this, Tensor::erf); }

    public Tensor erfc_() { return InPlace.pointwise(this, Tensor::erfc); }

    public Tensor erfinv_() { return InPlace.pointwise(this, Tensor::erfinv); }

    public Tensor asinh_() { return InPlace.pointwise(this, x -> SpecialFunctions.inPlaceWithoutDerivative("asinh", x, Tensor::asinh)); }

    public Tensor acosh_() { return InPlace.pointwise(this, x -> SpecialFunctions.inPlaceWithoutDerivative("acosh", x, Tensor::acosh)); }

    public Tensor atanh_() { return InPlace.pointwise(this, x -> SpecialFunctions.inPlaceWithoutDerivative("atanh", x, Tensor::atanh)); }

    public Tensor lgamma_() { return InPlace.pointwise(this, Tensor::lgamma); }

    public Tensor digamma_() { return InPlace.pointwise(this, Tensor::digamma); }

    public Tensor polygamma_(int n) { return InPlace.pointwise(this, x -> SpecialFunctions.polygamma(n, x, "PolygammaBackward1")); }

    public Tensor sinc_() { return InPlace.pointwise(this, Tensor::sinc); }

    public Tensor logit_() { return InPlace.pointwise(this, x -> x.logit()); }

    public Tensor logit_(double eps) { return InPlace.pointwise(this, x -> x.logit(eps)); }

    public Tensor deg2rad_() { return InPlace.pointwise(this, Tensor::deg2rad); }

    public Tensor rad2deg_() { return InPlace.pointwise(this, Tensor::rad2deg); }

    public Tensor nanToNum_() { return InPlace.pointwise(this, x -> x.nanToNum()); }

    public Tensor nanToNum_(double nan, Double posinf, Double neginf) { return InPlace.pointwise(this, x -> x.nanToNum(nan, posinf, neginf)); }

    public Tensor hypot_(Tensor other) { return InPlace.pointwise(this, x -> x[0].hypot(x[1]), other); }

    public Tensor atan2_(Tensor other) { return InPlace.pointwise(this, x -> x[0].atan2(x[1]), other); }

    public Tensor fmod_(Tensor other) { return InPlace.pointwise(this, x -> x[0].fmod(x[1]), other); }

    public Tensor fmod_(double other) { return InPlace.pointwise(this, x -> x.fmod(other)); }

    public Tensor remainder_(Tensor other) { return InPlace.pointwise(this, x -> x[0].remainder(x[1]), other); }

    public Tensor remainder_(double other) { return InPlace.pointwise(this, x -> x.remainder(other)); }

    public Tensor floorDivide_(Tensor other) { return InPlace.pointwise(this, x -> x[0].floorDivide(x[1]), other); }

    public Tensor igamma_(Tensor other) { return InPlace.pointwise(this, x -> x[0].igamma(x[1]), other); }

    public Tensor igammac_(Tensor other) { return InPlace.pointwise(this, x -> x[0].igammac(x[1]), other); }

    public Tensor copysign_(Tensor other) { return InPlace.pointwise(this, x -> x[0].copysign(x[1]), other); }

    public Tensor copysign_(double other) { return InPlace.pointwise(this, x -> x.copysign(other)); }

    public Tensor heaviside_(Tensor values) { return InPlace.pointwise(this, x -> PairwiseMath.heaviside(x[0], x[1], "heaviside_"), values); }

    public Tensor floatPower_(Tensor exponent) {
        PairwiseMath.checkFloatPowerSelf(this);
        return InPlace.pointwise(this, x -> x[0].floatPower(x[1]), exponent);
    }

    public Tensor floatPower_(double exponent) {
        PairwiseMath.checkFloatPowerSelf(this);
        return InPlace.pointwise(this, x -> x.floatPower(exponent));
    }

    /** {@code mul_out(self, self, 2 ** other)} in PyTorch: not differentiable, like every out= form. */
    public Tensor ldexp_(Tensor other) { return PairwiseMath.ldexp_(this, other); }

    public Tensor trueDivide_(Tensor other) { return div_(other); }

    public Tensor trueDivide_(double other) { return div_(other); }

    public Tensor exp2_() { return InPlace.pointwise(this, Tensor::exp2); }

    public Tensor expm1_() { return InPlace.pointwise(this, Tensor::expm1); }

    public Tensor log2_() { return InPlace.pointwise(this, Tensor::log2); }

    public Tensor log10_() { return InPlace.pointwise(this, Tensor::log10); }

    public Tensor log1p_() { return InPlace.pointwise(this, Tensor::log1p); }

    public Tensor reciprocal_() { return InPlace.pointwise(this, Tensor::reciprocal); }

    public Tensor rsqrt_() { return InPlace.pointwise(this, Tensor::rsqrt); }

    public Tensor sign_() { return InPlace.pointwise(this, Tensor::sign); }

    public Tensor sgn_() { return InPlace.pointwise(this, Tensor::sgn); }

    public Tensor square_() { return InPlace.pointwise(this, Tensor::square); }

    public Tensor trunc_() { return InPlace.pointwise(this, Tensor::trunc); }

    public Tensor frac_() { return InPlace.pointwise(this, Tensor::frac); }

    public Tensor log_() { return InPlace.pointwise(this, Tensor::log); }

    public Tensor sqrt_() { return InPlace.pointwise(this, Tensor::sqrt); }

    public Tensor sigmoid_() { return InPlace.pointwise(this, Tensor::sigmoid); }

    public Tensor tanh_() { return InPlace.pointwise(this, Tensor::tanh); }

    public Tensor relu_() { return Pointwise.relu_(this); }

    public Tensor clamp_(Double min, Double max) { return InPlace.clamp_(this, Clamping.bound(min), Clamping.bound(max), s -> s.clamp(min, max)); }

    public Tensor clamp_(long min, long max) { return InPlace.clamp_(this, Scalar.of(min), Scalar.of(max), s -> s.clamp(min, max)); }

    public Tensor clampMin_(double min) { return InPlace.clamp_(this, Scalar.of(min), null, s -> s.clampMin(min)); }

    public Tensor clampMin_(long min) { return InPlace.clamp_(this, Scalar.of(min), null, s -> s.clampMin(min)); }

    public Tensor clampMax_(double max) { return InPlace.clamp_(this, null, Scalar.of(max), s -> s.clampMax(max)); }

    public Tensor clampMax_(long max) { return InPlace.clamp_(this, null, Scalar.of(max), s -> s.clampMax(max)); }

    public Tensor floor_() { return InPlace.pointwise(this, Tensor::floor); }

    public Tensor ceil_() { return InPlace.pointwise(this, Tensor::ceil); }

    public Tensor round_() { return InPlace.pointwise(this, Tensor::round); }

    public Tensor lerp_(Tensor end, double weight) { return FusedPointwise.lerp_(this, end, Scalar.of(weight)); }

    public Tensor lerp_(Tensor end, long weight) { return FusedPointwise.lerp_(this, end, Scalar.of(weight)); }

    public Tensor addcmul_(Tensor t1, Tensor t2, double value) { return InPlace.pointwise(this, x -> x[0].addcmul(x[1], x[2], value), t1, t2); }

    public Tensor addcmul_(Tensor t1, Tensor t2, long value) { return InPlace.pointwise(this, x -> x[0].addcmul(x[1], x[2], value), t1, t2); }

    public Tensor addcdiv_(Tensor t1, Tensor t2, double value) { return FusedPointwise.addcdiv_(this, t1, t2, Scalar.of(value)); }

    public Tensor addcdiv_(Tensor t1, Tensor t2, long value) { return FusedPointwise.addcdiv_(this, t1, t2, Scalar.of(value)); }

    public Tensor addcmul_(Tensor t1, Tensor t2) { return addcmul_(t1, t2, 1L); }

    public Tensor addcdiv_(Tensor t1, Tensor t2) { return addcdiv_(t1, t2, 1L); }

    /** {@code copy_(src)}: copies (with broadcasting and dtype conversion) into this tensor. */
    public Tensor copy_(Tensor src) { return InPlace.copy_(this, src); }

    public Tensor fill_(double value) { return InPlace.fill_(this, value); }

    /** {@code fill_} with a Python int: all 64 bits reach an int64 tensor, and -1 wraps into uint8 as in PyTorch. */
    public Tensor fill_(long value) { return InPlace.fill_(this, Scalar.of(value)); }

    /** {@code fill_(value)} with a 0-dim tensor, which receives the gradient of every filled element. */
    public Tensor fill_(Tensor value) { return InPlace.fill_(this, value); }

    public Tensor zero_() { return InPlace.zero_(this); }

    /** {@code out=}: writes {@code a + b} into this tensor, reusing its storage. */
    public Tensor addOut(Tensor a, Tensor b) { return InPlace.binaryOut(dev.ember.tensor.spi.BinaryOp.ADD, a, b, this); }

    public Tensor mulOut(Tensor a, Tensor b) { return InPlace.binaryOut(dev.ember.tensor.spi.BinaryOp.MUL, a, b, this); }

    public Tensor fix_() { return trunc_(); }

    public Tensor i0_() { return InPlace.pointwise(this, Tensor::i0); }

    public Tensor mvlgamma_(int p) { return InPlace.pointwise(this, x -> x.mvlgamma(p)); }

    public Tensor nextafter_(Tensor other) { return InPlace.pointwise(this, x -> x[0].nextafter(x[1]), other); }

    public Tensor lerp_(Tensor end, Tensor weight) { return FusedPointwise.lerp_(this, end, weight); }

    public Tensor gcd_(Tensor other) { return Bitwise.binary_(dev.ember.tensor.spi.BinaryOp.GCD, this, other); }

    public Tensor lcm_(Tensor other) { return Bitwise.binary_(dev.ember.tensor.spi.BinaryOp.LCM, this, other); }

    public Tensor bitwiseLeftShift_(Tensor other) { return Bitwise.binary_(dev.ember.tensor.spi.BinaryOp.LSHIFT, this, other); }

    public Tensor bitwiseLeftShift_(long other) { return bitwiseLeftShift_(wrap(other)); }

    public Tensor bitwiseRightShift_(Tensor other) { return Bitwise.binary_(dev.ember.tensor.spi.BinaryOp.RSHIFT, this, other); }

    public Tensor bitwiseRightShift_(long other) { return bitwiseRightShift_(wrap(other)); }

    // ---------------------------------------------------------------- reductions

    public Tensor sum() { return Reductions.sum(this, null, false, null); }

    public Tensor sum(int dim) { return Reductions.sum(this, new int[] {dim}, false, null); }

    public Tensor sum(int dim, boolean keepdim) { return Reductions.sum(this, new int[] {dim}, keepdim, null); }

    public Tensor sum(int[] dims, boolean keepdim) { return Reductions.sum(this, dims, keepdim, null); }

    public Tensor sum(int[] dims, boolean keepdim, DType dtype) { return Reductions.sum(this, dims, keepdim, dtype); }

    /** {@code nansum(dims, keepdim, dtype)}: sum treating NaN as zero; a null dims sums every element. */
    public Tensor nansum(int[] dims, boolean keepdim, DType dtype) { return Reductions.nansum(this, dims, keepdim, dtype); }

    public Tensor nansum() { return nansum(null, false, null); }

    /** {@code nanmean(dims, keepdim)}: mean over the non-NaN elements. */
    public Tensor nanmean(int[] dims, boolean keepdim) { return Reductions.nanmean(this, dims, keepdim); }

    public Tensor nanmean() { return nanmean(null, false); }

    public Tensor mean() { return Reductions.mean(this, null, false); }

    public Tensor mean(int dim) { return Reductions.mean(this, new int[] {dim}, false); }

    public Tensor mean(int dim, boolean keepdim) { return Reductions.mean(this, new int[] {dim}, keepdim); }

    public Tensor mean(int[] dims, boolean keepdim) { return Reductions.mean(this, dims, keepdim); }

    /** {@code mean(dtype=...)}: computes in a floating {@code dtype}, so an integer tensor can be averaged. */
    public Tensor mean(DType dtype) { return Reductions.mean(this, null, false, dtype); }

    public Tensor mean(int[] dims, boolean keepdim, DType dtype) { return Reductions.mean(this, dims, keepdim, dtype); }

    public Tensor prod() { return Reductions.prod(this, null, false); }

    public Tensor prod(int dim, boolean keepdim) { return Reductions.prod(this, dim, keepdim); }

    public Tensor prod(int dim) { return Reductions.prod(this, dim, false); }

    /** {@code max()}: the largest element as a 0-dim tensor. */
    public Tensor max() { return Reductions.maxAll(this); }

    /** {@code max(dim, keepdim)}: values and (first) indices. */
    public ValuesIndices max(int dim, boolean keepdim) { return Reductions.maxDim(this, dim, keepdim); }

    public ValuesIndices max(int dim) { return max(dim, false); }

    public Tensor min() { return Reductions.minAll(this); }

    public ValuesIndices min(int dim, boolean keepdim) { return Reductions.minDim(this, dim, keepdim); }

    public ValuesIndices min(int dim) { return min(dim, false); }

    public Tensor amax(int[] dims, boolean keepdim) { return Reductions.amax(this, dims, keepdim); }

    public Tensor amax(int dim) { return amax(new int[] {dim}, false); }

    public Tensor amin(int[] dims, boolean keepdim) { return Reductions.amin(this, dims, keepdim); }

    public Tensor amin(int dim) { return amin(new int[] {dim}, false); }

    /** Index of the largest element of the flattened tensor. */
    public Tensor argmax() { return Reductions.argmax(this, null, false); }

    public Tensor argmax(int dim, boolean keepdim) { return Reductions.argmax(this, dim, keepdim); }

    public Tensor argmax(int dim) { return Reductions.argmax(this, dim, false); }

    public Tensor argmin() { return Reductions.argmin(this, null, false); }

    public Tensor argmin(int dim, boolean keepdim) { return Reductions.argmin(this, dim, keepdim); }

    public Tensor argmin(int dim) { return Reductions.argmin(this, dim, false); }

    /** {@code median()}: the lower median of all elements; NaN when any is NaN. */
    public Tensor median() { return OrderStatistics.medianAll(this, false); }

    /** {@code median(dim, keepdim)}: lower medians and their indices; a line holding NaN gives its first NaN. */
    public ValuesIndices median(int dim, boolean keepdim) { return OrderStatistics.median(this, dim, keepdim, false); }

    public ValuesIndices median(int dim) { return median(dim, false); }

    /** {@code nanmedian()}: the lower median of the non-NaN elements. */
    public Tensor nanmedian() { return OrderStatistics.medianAll(this, true); }

    public ValuesIndices nanmedian(int dim, boolean keepdim) { return OrderStatistics.median(this, dim, keepdim, true); }

    public ValuesIndices nanmedian(int dim) { return nanmedian(dim, false); }

    /** {@code kthvalue(k, dim, keepdim)}: the k-th smallest element (k from 1) along dim, with its index. */
    public ValuesIndices kthvalue(int k, int dim, boolean keepdim) { return OrderStatistics.kthvalue(this, k, dim, keepdim); }

    public ValuesIndices kthvalue(int k, int dim) { return kthvalue(k, dim, false); }

    /** {@code kthvalue(k)} along the last dim. */
    public ValuesIndices kthvalue(int k) { return kthvalue(k, -1, false); }

    /** {@code mode(dim, keepdim)}: the most frequent value along dim (the smallest among equally frequent) and an index of it. */
    public ValuesIndices mode(int dim, boolean keepdim) { return OrderStatistics.mode(this, dim, keepdim); }

    public ValuesIndices mode(int dim) { return mode(dim, false); }

    /** {@code mode()} along the last dim. */
    public ValuesIndices mode() { return mode(-1, false); }

    /** {@code var()} with Bessel's correction (correction=1). */
    public Tensor var() { return Statistics.var(this, null, 1, false); }

    public Tensor var(int[] dims, double correction, boolean keepdim) { return Statistics.var(this, dims, correction, keepdim); }

    public Tensor var(int dim, boolean unbiased, boolean keepdim) { return Statistics.var(this, new int[] {dim}, unbiased ? 1 : 0, keepdim); }

    /** {@code var(dim)}: unbiased, without keepdim, as PyTorch's defaults. */
    public Tensor var(int dim) { return var(dim, true, false); }

    public Tensor std() { return Statistics.std(this, null, 1, false); }

    public Tensor std(int[] dims, double correction, boolean keepdim) { return Statistics.std(this, dims, correction, keepdim); }

    public Tensor std(int dim, boolean unbiased, boolean keepdim) { return Statistics.std(this, new int[] {dim}, unbiased ? 1 : 0, keepdim); }

    public Tensor std(int dim) { return std(dim, true, false); }

    /** {@code torch.var_mean(x, dims, correction, keepdim)}: [var, mean] from one pass; a null dims reduces every dim. */
    public List<Tensor> varMean(int[] dims, double correction, boolean keepdim) { return Statistics.spreadMean(this, dims, correction, keepdim, false); }

    public List<Tensor> varMean() { return varMean(null, 1, false); }

    /** {@code torch.std_mean(x, dims, correction, keepdim)}: [std, mean]. */
    public List<Tensor> stdMean(int[] dims, double correction, boolean keepdim) { return Statistics.spreadMean(this, dims, correction, keepdim, true); }

    public List<Tensor> stdMean() { return stdMean(null, 1, false); }

    /** {@code count_nonzero(dims)}: int64 counts of non-zero elements; every dim when none is given. */
    public Tensor countNonzero(int... dims) { return Reductions.countNonzero(this, dims.length == 0 ? null : dims); }

    /** {@code norm(p)} over all elements; p may be infinite. */
    public Tensor norm() { return Norms.norm(this, 2, null, false); }

    public Tensor norm(double p) { return Norms.norm(this, p, null, false); }

    public Tensor norm(double p, int[] dims, boolean keepdim) { return Norms.norm(this, p, dims, keepdim); }

    /** {@code torch.linalg.vector_norm(x)}: the 2-norm of all elements ({@code LinalgVectorNormBackward0}). */
    public Tensor vectorNorm() { return vectorNorm(2); }

    public Tensor vectorNorm(double ord) { return vectorNorm(ord, null, false); }

    /** {@code torch.linalg.vector_norm(x, ord, dim, keepdim)}; ord may be 0 or infinite; null or no dims: all of them. */
    public Tensor vectorNorm(double ord, int[] dims, boolean keepdim) { return Norms.vectorNorm(this, ord, dims, keepdim, null); }

    /** ... with {@code dtype=}: computed in that floating dtype, which this tensor's must widen to. */
    public Tensor vectorNorm(double ord, int[] dims, boolean keepdim, DType dtype) { return Norms.vectorNorm(this, ord, dims, keepdim, dtype); }

    /**
     * {@code torch.linalg.svd(x, full_matrices)}: U, S (descending) and Vh with x = U diag(S) Vh, batched, one
     * {@code LinalgSvdBackward0}. A singular vector's sign may be the opposite of PyTorch's (LAPACK's own choice).
     */
    public SVD linalgSvd(boolean fullMatrices) {
        Tensor[] r = Svd.svd(this, fullMatrices);
        return new SVD(r[0], r[1], r[2]);
    }

    /** {@code torch.linalg.svd(x)}: full_matrices=True, as PyTorch's default. */
    public SVD linalgSvd() { return linalgSvd(true); }

    /** {@code torch.linalg.svdvals(x)}: the singular values, descending. */
    public Tensor svdvals() { return Svd.svdvals(this); }

    /** {@code torch.svd(x, some, compute_uv)}: U, S and V (not Vh); without compute_uv U and V are zeros, as in 1.13. */
    public LegacySVD svd(boolean some, boolean computeUv) {
        Tensor[] r = Svd.legacySvd(this, some, computeUv);
        return new LegacySVD(r[0], r[1], r[2]);
    }

    public LegacySVD svd() { return svd(true, true); }

    public record SVD(Tensor u, Tensor s, Tensor vh) {}

    public record LegacySVD(Tensor u, Tensor s, Tensor v) {}

    /** {@code torch.linalg.pinv(x)}: the pseudo-inverse, singular values below eps * max(m, n) * max(S) dropped. */
    public Tensor linalgPinv() { return Svd.pinv(this, null, null); }

    /** {@code torch.linalg.pinv(x, atol=, rtol=)}: either may be null (PyTorch's None). */
    public Tensor linalgPinv(Double atol, Double rtol) { return Svd.pinv(this, atol, rtol); }

    /** {@code torch.pinverse(x, rcond=1e-15)}. */
    public Tensor pinverse() { return pinverse(1e-15); }

    public Tensor pinverse(double rcond) { return Svd.pinv(this, 0.0, rcond); }

    /** {@code torch.linalg.matrix_rank(x)} (int64), with pinv's default tolerance. */
    public Tensor matrixRank() { return Svd.matrixRank(this, null, null); }

    public Tensor matrixRank(Double atol, Double rtol) { return Svd.matrixRank(this, atol, rtol); }

    /** {@code torch.linalg.matrix_norm(x)}: the Frobenius norm over the last two dims. */
    public Tensor matrixNorm() { return matrixNorm("fro"); }

    /** {@code torch.linalg.matrix_norm(x, "fro" | "nuc")}. */
    public Tensor matrixNorm(String ord) { return matrixNorm(ord, new int[] {-2, -1}, false); }

    public Tensor matrixNorm(String ord, int[] dims, boolean keepdim) { return Norms.matrixNorm(this, ord, dims, keepdim); }

    /** {@code torch.linalg.matrix_norm(x, ord)} for ord 1, -1, inf, -inf (max/min column or row sums of |x|), 2 and -2. */
    public Tensor matrixNorm(double ord) { return matrixNorm(ord, new int[] {-2, -1}, false); }

    public Tensor matrixNorm(double ord, int[] dims, boolean keepdim) { return Norms.matrixNorm(this, ord, dims, keepdim); }

    /** {@code torch.dist(self, other, p=2)}: the p-norm of {@code self - other}. */
    public Tensor dist(Tensor other) { return Norms.dist(this, other, 2); }

    public Tensor dist(Tensor other, double p) { return Norms.dist(this, other, p); }

    /** Each slice along dim scaled down to a p-norm of at most maxnorm. */
    public Tensor renorm(double p, int dim, double maxnorm) { return Norms.renorm(this, p, dim, maxnorm); }

    public Tensor renorm_(double p, int dim, double maxnorm) { return InPlace.pointwise(this, x -> x.renorm(p, dim, maxnorm)); }

    public Tensor logsumexp(int dim, boolean keepdim) { return Softmax.logsumexp(this, new int[] {dim}, keepdim); }

    public Tensor logsumexp(int dim) { return logsumexp(dim, false); }

    public Tensor logsumexp(int[] dims, boolean keepdim) { return Softmax.logsumexp(this, dims, keepdim); }

    public Tensor all() { return Reductions.all(this, null, false); }

    public Tensor all(int dim, boolean keepdim) { return Reductions.all(this, dim, keepdim); }

    public Tensor all(int dim) { return all(dim, false); }

    public Tensor any() { return Reductions.any(this, null, false); }

    public Tensor any(int dim, boolean keepdim) { return Reductions.any(this, dim, keepdim); }

    public Tensor any(int dim) { return any(dim, false); }

    public Tensor softmax(int dim) { return Softmax.softmax(this, dim); }

    public Tensor logSoftmax(int dim) { return Softmax.logSoftmax(this, dim); }

    /** {@code softmax(dim, dtype=...)}: converts the input to {@code dtype} first (float16 input computed in float32). */
    public Tensor softmax(int dim, DType dtype) { return Softmax.softmax(this, dim, dtype); }

    public Tensor logSoftmax(int dim, DType dtype) { return Softmax.logSoftmax(this, dim, dtype); }

    public Tensor cumsum(int dim) { return Scans.cumsum(this, dim); }

    /** {@code cumsum(dim, dtype=dtype)}: the input is cast to {@code dtype} first. */
    public Tensor cumsum(int dim, DType dtype) { return Scans.cumsum(this, dim, dtype); }

    public Tensor cumprod(int dim) { return Scans.cumprod(this, dim); }

    public Tensor cumprod(int dim, DType dtype) { return Scans.cumprod(this, dim, dtype); }

    /** {@code cummax(dim)}: running maxima and the (latest) index of each. */
    public ValuesIndices cummax(int dim) { return Scans.cumExtreme(this, dim, true); }

    public ValuesIndices cummin(int dim) { return Scans.cumExtreme(this, dim, false); }

    public Tensor logcumsumexp(int dim) { return Scans.logcumsumexp(this, dim); }

    /** {@code torch.aminmax(input)}: the smallest and largest element (NaN if any is). */
    public MinMax aminmax() { return Reductions.aminmax(this, null, false); }

    /** {@code torch.aminmax(input, dim=dim, keepdim=keepdim)}; a null dim reduces every dim (kept as 1 with keepdim). */
    public MinMax aminmax(Integer dim, boolean keepdim) { return Reductions.aminmax(this, dim, keepdim); }

    /** {@code torch.quantile(input, q)} over every element, linear interpolation. */
    public Tensor quantile(double q) { return Quantiles.quantile(this, q, null, false, "linear", false); }

    /** {@code torch.quantile(input, q, dim, keepdim, interpolation=)}; a null dim flattens. */
    public Tensor quantile(double q, Integer dim, boolean keepdim, String interpolation) { return Quantiles.quantile(this, q, dim, keepdim, interpolation, false); }

    /** {@code torch.quantile} with q a 0-dim or 1-d tensor of the input's dtype; a 1-d q adds a leading dim. */
    public Tensor quantile(Tensor q) { return Quantiles.quantile(this, q, null, false, "linear", false); }

    public Tensor quantile(Tensor q, Integer dim, boolean keepdim, String interpolation) { return Quantiles.quantile(this, q, dim, keepdim, interpolation, false); }

    /** {@code torch.nanquantile}: quantile ignoring NaNs (NaN only where a slice is all NaN). */
    public Tensor nanquantile(double q) { return Quantiles.quantile(this, q, null, false, "linear", true); }

    public Tensor nanquantile(double q, Integer dim, boolean keepdim, String interpolation) { return Quantiles.quantile(this, q, dim, keepdim, interpolation, true); }

    public Tensor nanquantile(Tensor q) { return Quantiles.quantile(this, q, null, false, "linear", true); }

    public Tensor nanquantile(Tensor q, Integer dim, boolean keepdim, String interpolation) { return Quantiles.quantile(this, q, dim, keepdim, interpolation, true); }

    /** {@code torch.cov(input)}: the covariance of the variables in the rows (Bessel's correction). */
    public Tensor cov() { return Covariance.cov(this, 1, null, null); }

    /** {@code torch.cov(input, correction=, fweights=, aweights=)}; either weights may be null. */
    public Tensor cov(long correction, Tensor fweights, Tensor aweights) { return Covariance.cov(this, correction, fweights, aweights); }

    /** {@code torch.corrcoef}: Pearson's correlation coefficients of the rows. */
    public Tensor corrcoef() { return Covariance.corrcoef(this); }

    // ---------------------------------------------------------------- sorting

    public ValuesIndices sort(int dim, boolean descending) { return Sorting.sort(this, dim, descending, null); }

    public ValuesIndices sort(int dim, boolean descending, boolean stable) { return Sorting.sort(this, dim, descending, stable); }

    public ValuesIndices sort() { return sort(-1, false); }

    public Tensor argsort(int dim, boolean descending) { return Sorting.sort(this, dim, descending, null).indices(); }

    public Tensor argsort(int dim, boolean descending, boolean stable) { return Sorting.sort(this, dim, descending, stable).indices(); }

    public Tensor argsort() { return argsort(-1, false); }

    public ValuesIndices topk(int k, int dim, boolean largest, boolean sorted) { return Sorting.topk(this, k, dim, largest, sorted); }

    public ValuesIndices topk(int k) { return topk(k, -1, true, true); }

    // ---------------------------------------------------------------- unique

    /** {@code torch.unique(x)}: the distinct elements of the flattened tensor, sorted. */
    public Tensor unique() { return Uniques.unique(this, true, false, false).values(); }

    /**
     * {@code torch.unique(x, sorted, return_inverse, return_counts)} over the flattened tensor; inverse indices
     * (shaped like this tensor) and counts are null unless asked for. {@code sorted=false} gives PyTorch's order.
     */
    public Unique unique(boolean sorted, boolean returnInverse, boolean returnCounts) { return Uniques.unique(this, sorted, returnInverse, returnCounts); }

    /** {@code torch.unique(x, dim=dim, ...)}: the distinct slices along dim, always sorted; inverse indices per slice. */
    public Unique unique(boolean sorted, boolean returnInverse, boolean returnCounts, int dim) { return Uniques.uniqueDim(this, dim, false, returnInverse, returnCounts); }

    /** {@code torch.unique_consecutive(x)}: the flattened tensor with each run of equal elements kept once. */
    public Tensor uniqueConsecutive() { return Uniques.uniqueConsecutive(this, false, false).values(); }

    public Unique uniqueConsecutive(boolean returnInverse, boolean returnCounts) { return Uniques.uniqueConsecutive(this, returnInverse, returnCounts); }

    /** {@code torch.unique_consecutive(x, dim=dim, ...)}: each run of equal slices along dim kept once. */
    public Unique uniqueConsecutive(boolean returnInverse, boolean returnCounts, int dim) { return Uniques.uniqueDim(this, dim, true, returnInverse, returnCounts); }

    // ---------------------------------------------------------------- linear algebra

    /** {@code matmul} with PyTorch's rules for 1-D operands and broadcast batch dims. */
    public Tensor matmul(Tensor other) { return Linalg.matmul(this, other); }

    public Tensor mm(Tensor other) { return Linalg.mm(this, other); }

    public Tensor bmm(Tensor other) { return Linalg.bmm(this, other); }

    public Tensor mv(Tensor vec) { return Linalg.mv(this, vec); }

    /** {@code torch.cdist(x1, x2, p)}: p-norm distances between the rows of x1 and x2, over broadcast batch dims. */
    public static Tensor cdist(Tensor x1, Tensor x2, double p) { return Distances.cdist(x1, x2, p, 0); }

    public static Tensor cdist(Tensor x1, Tensor x2) { return cdist(x1, x2, 2); }

    /** compute_mode: "use_mm_for_euclid_dist_if_necessary" (the default), "use_mm_for_euclid_dist" or "donot_use_mm_for_euclid_dist". */
    public static Tensor cdist(Tensor x1, Tensor x2, double p, String computeMode) { return Distances.cdist(x1, x2, p, Distances.computeMode(computeMode)); }

    /** {@code matrix_power(n)}: the n-th power of each square matrix, through {@link #inverse} for negative n. */
    public Tensor matrixPower(int n) { return MatrixChains.matrixPower(this, n); }

    /** {@code torch.linalg.multi_dot(tensors)}: the chain's product in its cheapest order; the ends may be vectors. */
    public static Tensor multiDot(List<Tensor> tensors) { return MatrixChains.multiDot(tensors); }

    /** {@code torch.chain_matmul(*matrices)} (deprecated in PyTorch for multi_dot). */
    public static Tensor chainMatmul(Tensor... matrices) { return MatrixChains.chainMatmul(List.of(matrices)); }

    /** {@code torch.linalg.det}. */
    public Tensor det() { return LinearAlgebra.det(this); }

    /** {@code torch.linalg.slogdet}: the sign and log|det|. */
    public SignLogAbsDet slogdet() { return LinearAlgebra.slogdet(this); }

    /** {@code torch.logdet}: NaN for a negative determinant. */
    public Tensor logdet() { return LinearAlgebra.logdet(this); }

    /** {@code torch.linalg.inv} (also {@code torch.inverse}). */
    public Tensor inverse() { return LinearAlgebra.inverse(this); }

    /** {@code torch.linalg.solve(self, b)}: X with self X = b; b may be a vector (or a batch of them). */
    public Tensor solve(Tensor b) { return LinearAlgebra.solve(this, b); }

    /** {@code torch.linalg.cholesky(self)}: the lower factor L of self = L Lᴴ; only self's lower triangle is read. */
    public Tensor linalgCholesky() { return Cholesky.cholesky(this, false, true); }

    /** {@code torch.linalg.cholesky(self, upper=upper)}: U with self = Uᴴ U when upper, reading self's upper triangle. */
    public Tensor linalgCholesky(boolean upper) { return Cholesky.cholesky(this, upper, true); }

    /** {@code torch.cholesky(self)} (deprecated in PyTorch for linalg.cholesky; its own node and error texts). */
    public Tensor cholesky() { return Cholesky.cholesky(this, false, false); }

    /** {@code torch.cholesky(self, upper)}. */
    public Tensor cholesky(boolean upper) { return Cholesky.cholesky(this, upper, false); }

    /** {@code torch.cholesky_solve(b, u, upper)}: X with A X = b where A = u uᴴ (uᴴ u when upper), batches broadcast. */
    public static Tensor choleskySolve(Tensor b, Tensor u, boolean upper) { return Cholesky.choleskySolve(b, u, upper); }

    /** {@code torch.cholesky_inverse(self, upper)}: A⁻¹ where A = self selfᴴ (selfᴴ self when upper). */
    public Tensor choleskyInverse(boolean upper) { return Cholesky.choleskyInverse(this, upper); }

    /**
     * {@code torch.linalg.solve_triangular(a, b, upper=, left=, unitriangular=)}: X with A X = B (X A = B when not
     * left), A read only in its upper or lower triangle; batches broadcast, dtypes promote.
     */
    public static Tensor solveTriangular(Tensor a, Tensor b, boolean upper, boolean left, boolean unitriangular) {
        return TriangularSolves.solveTriangular(a, b, upper, left, unitriangular);
    }

    /** {@code torch.triangular_solve(b, a, upper, transpose, unitriangular)}: X with A X = b (Aᵀ X = b when transpose), and a copy of A. */
    public static TriangularSolution triangularSolve(Tensor b, Tensor a, boolean upper, boolean transpose, boolean unitriangular) {
        return TriangularSolves.triangularSolve(b, a, upper, transpose, unitriangular);
    }

    /** {@code torch.linalg.qr(self)}: the reduced QR factorisation, with LAPACK's signs. */
    public QR qr() { return Qr.qr(this, "reduced"); }

    /** {@code torch.linalg.qr(self, mode)}: mode "reduced", "complete" or "r" (then Q is an empty tensor). */
    public QR qr(String mode) { return Qr.qr(this, mode); }

    /** {@code torch.qr(self, some)}: reduced when some, else complete. */
    public QR qr(boolean some) { return Qr.qr(this, some ? "reduced" : "complete"); }

    public Tensor dot(Tensor other) { return Linalg.dot(this, other); }

    /** {@code torch.inner(x, other)}: the dot product over the last dim of each, for every pair of leading indices. */
    public Tensor inner(Tensor other) { return Linalg.inner(this, other); }

    public Tensor outer(Tensor other) { return Linalg.outer(this, other); }

    /** {@code torch.einsum(equation, *operands)}: e.g. {@code Tensor.einsum("bij,bjk->bik", a, b)}; "..." broadcasts. */
    public static Tensor einsum(String equation, Tensor... operands) { return Einsum.einsum(equation, List.of(operands)); }

    /** {@code torch.tensordot(a, b, dims)}: contracts the last {@code dims} dims of a with the first of b. */
    public static Tensor tensordot(Tensor a, Tensor b, int dims) { return TensorProducts.tensordot(a, b, dims); }

    /** {@code torch.tensordot(a, b, dims=(dimsA, dimsB))}. */
    public static Tensor tensordot(Tensor a, Tensor b, int[] dimsA, int[] dimsB) { return TensorProducts.tensordot(a, b, dimsA, dimsB); }

    /** {@code out=}: writes {@code tensordot(a, b, dims)} into this tensor, which must have the result's dtype. */
    public Tensor tensordotOut(Tensor a, Tensor b, int dims) { return TensorProducts.tensordotOut(a, b, dims, this); }

    public Tensor tensordotOut(Tensor a, Tensor b, int[] dimsA, int[] dimsB) { return TensorProducts.tensordotOut(a, b, dimsA, dimsB, this); }

    /** {@code torch.cross(self, other, dim)}: the vector product along a dim of size 3; null picks the first such dim. */
    public Tensor cross(Tensor other, Integer dim) { return TensorProducts.cross(this, other, dim); }

    /** {@code torch.searchsorted(self, values, right=right, out_int32=outInt32)}: insertion indices into sorted boundaries (self). */
    public Tensor searchsorted(Tensor values, boolean right, boolean outInt32) { return Bucketing.searchsorted(this, values, right, outInt32); }

    public Tensor searchsorted(Tensor values) { return searchsorted(values, false, false); }

    /** {@code torch.bucketize(self, boundaries, right=right)}: the bucket of each element among 1-d sorted boundaries. */
    public Tensor bucketize(Tensor boundaries, boolean right) { return Bucketing.bucketize(this, boundaries, right, false); }

    /** {@code torch.bincount(self, weights, minlength)}: per-value counts (or weight sums) of a 1-d non-negative integer tensor. */
    public Tensor bincount(Tensor weights, int minlength) { return Bucketing.bincount(this, weights, minlength); }

    public Tensor bincount() { return bincount(null, 0); }

    /** {@code torch.histc(self, bins, min, max)}: a histogram of equal-width bins (the data's range when min == max). */
    public Tensor histc(int bins, double min, double max) { return Bucketing.histc(this, bins, min, max); }

    public Tensor histc(int bins) { return histc(bins, 0, 0); }

    // beta comes as a Python float (double) or int (long): where PyTorch scales the result in place (an empty
    // contraction), a float beta must be castable to the result's dtype. alpha's kind never matters to these ops.

    /** {@code torch.baddbmm(input, batch1, batch2, beta, alpha)}: {@code beta * input + alpha * bmm(batch1, batch2)}. */
    public static Tensor baddbmm(Tensor input, Tensor batch1, Tensor batch2, double beta, double alpha) { return Linalg.baddbmm(input, batch1, batch2, Scalar.of(beta), alpha); }

    public static Tensor baddbmm(Tensor input, Tensor batch1, Tensor batch2, long beta, double alpha) { return Linalg.baddbmm(input, batch1, batch2, Scalar.of(beta), alpha); }

    public static Tensor baddbmm(Tensor input, Tensor batch1, Tensor batch2) { return baddbmm(input, batch1, batch2, 1L, 1); }

    /** {@code torch.addbmm(input, batch1, batch2, beta, alpha)}: the batches' products summed, scaled and added. */
    public static Tensor addbmm(Tensor input, Tensor batch1, Tensor batch2, double beta, double alpha) { return Linalg.addbmm(input, batch1, batch2, Scalar.of(beta), alpha); }

    public static Tensor addbmm(Tensor input, Tensor batch1, Tensor batch2, long beta, double alpha) { return Linalg.addbmm(input, batch1, batch2, Scalar.of(beta), alpha); }

    /** {@code torch.addmv(input, mat, vec, beta, alpha)}: {@code beta * input + alpha * (mat @ vec)}. */
    public static Tensor addmv(Tensor input, Tensor mat, Tensor vec, double beta, double alpha) { return Linalg.addmv(input, mat, vec, Scalar.of(beta), alpha); }

    public static Tensor addmv(Tensor input, Tensor mat, Tensor vec, long beta, double alpha) { return Linalg.addmv(input, mat, vec, Scalar.of(beta), alpha); }

    /** {@code addmm(input, mat1, mat2, beta, alpha)}: {@code beta * input + alpha * (mat1 @ mat2)}. */
    public static Tensor addmm(Tensor input, Tensor mat1, Tensor mat2, double beta, double alpha) { return Linalg.addmm(input, mat1, mat2, Scalar.of(beta), alpha); }

    public static Tensor addmm(Tensor input, Tensor mat1, Tensor mat2, long beta, double alpha) { return Linalg.addmm(input, mat1, mat2, Scalar.of(beta), alpha); }

    public static Tensor addmm(Tensor input, Tensor mat1, Tensor mat2) { return addmm(input, mat1, mat2, 1L, 1); }

    /** {@code torch.addr(input, vec1, vec2, beta, alpha)}: {@code beta * input + alpha * outer(vec1, vec2)}. */
    public static Tensor addr(Tensor input, Tensor vec1, Tensor vec2, double beta, double alpha) { return TensorProducts.addr(input, vec1, vec2, Scalar.of(beta), Scalar.of(alpha)); }

    /** {@code addr} with Python-int beta and alpha, which integer tensors require. */
    public static Tensor addr(Tensor input, Tensor vec1, Tensor vec2, long beta, long alpha) { return TensorProducts.addr(input, vec1, vec2, Scalar.of(beta), Scalar.of(alpha)); }

    public static Tensor addr(Tensor input, Tensor vec1, Tensor vec2) { return addr(input, vec1, vec2, 1L, 1L); }

    /** {@code addr_(vec1, vec2, beta, alpha)}: this 2-D tensor becomes {@code beta * this + alpha * outer(vec1, vec2)}. */
    public Tensor addr_(Tensor vec1, Tensor vec2, double beta, double alpha) { return TensorProducts.addr_(this, vec1, vec2, Scalar.of(beta), Scalar.of(alpha)); }

    public Tensor addr_(Tensor vec1, Tensor vec2, long beta, long alpha) { return TensorProducts.addr_(this, vec1, vec2, Scalar.of(beta), Scalar.of(alpha)); }

    public Tensor addr_(Tensor vec1, Tensor vec2) { return addr_(vec1, vec2, 1L, 1L); }

    /** {@code out=}: writes {@code a @ b} into this tensor. */
    public Tensor matmulOut(Tensor a, Tensor b) { return Linalg.matmulOut(a, b, this); }

    // ---------------------------------------------------------------- helpers

    /** A 0-dim tensor of this tensor's device holding {@code value}, typed as a Python scalar would be. */
    Tensor wrap(double value) { return Pointwise.wrapScalar(this, value); }

    Tensor wrap(long value) { return Pointwise.wrapScalar(this, value); }

    /** A 0-dim tensor of this tensor's dtype and device holding {@code value}. */
    Tensor scalarLike(double value) { return Creation.full(new int[0], value, dtype(), device()); }

    @Override
    public String toString() { return TensorFormatter.format(this); }

    /** {@code torch.set_printoptions}: how every tensor's {@link #toString()} prints from now on (see {@link PrintOptions}). */
    public static void setPrintOptions(PrintOptions options) { TensorFormatter.setOptions(options); }

    /** The print options in force ({@code torch._tensor_str.PRINT_OPTS}). */
    public static PrintOptions printOptions() { return TensorFormatter.options(); }

    /** What {@code torch.unique} returns: the elements, then inverse indices and counts when asked for (else null). */
    public record Unique(Tensor values, Tensor inverseIndices, Tensor counts) {
        /** What torch.unique returns: the values, then the inverse indices and counts that were asked for. */
        public List<Tensor> tensors() {
            List<Tensor> out = new java.util.ArrayList<>(List.of(values));
            if (inverseIndices != null) out.add(inverseIndices);
            if (counts != null) out.add(counts);
            return out;
        }
    }

    /** The smallest and largest values, as returned by {@code aminmax}. */
    public record MinMax(Tensor min, Tensor max) {}

    /** What {@code frexp} returns: x = mantissa * 2^exponent. */
    public record MantissaExponent(Tensor mantissa, Tensor exponent) {}

    /** Values and indices, as returned by {@code max(dim)}, {@code sort}, {@code topk}, {@code median(dim)}, {@code kthvalue}, {@code mode}. */
    public record ValuesIndices(Tensor values, Tensor indices) {}

    /** {@code torch.return_types.slogdet}. */
    public record SignLogAbsDet(Tensor sign, Tensor logabsdet) {}

    /** {@code torch.triangular_solve}'s result: the solution and A copied over the broadcast batch. */
    public record TriangularSolution(Tensor solution, Tensor clonedCoefficient) {}

    /** {@code torch.linalg.qr}'s result. */
    public record QR(Tensor q, Tensor r) {}
}
