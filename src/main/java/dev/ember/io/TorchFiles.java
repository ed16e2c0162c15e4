package dev.ember.io;

import dev.ember.tensor.Backends;
import dev.ember.tensor.Layout;
import dev.ember.tensor.Tensor;
import dev.ember.tensor.spi.HostStorage;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code torch.load(f, weights_only=True)} and {@code torch.save(obj, f)} for Ember.
 *
 * <p>{@link #load} returns what torch would: tensors as Ember {@link Tensor}s (views of one storage stay views
 * of one storage), {@code OrderedDict}s as {@link PyOrderedDict} (with {@code _metadata}), dicts as
 * {@code LinkedHashMap}, lists, tuples ({@link PyTuple}), {@code Long}/{@code BigInteger}, {@code Double},
 * {@code String}, {@code Boolean}, None as null. Both the zip format (torch 1.6+) and the legacy format are
 * read. The unpickler is restricted (see {@link Unpickler}); the whole pickle and every declared storage are
 * checked against the file before any tensor memory is allocated. {@link Checkpoint} picks a model's state
 * out of a training checkpoint.
 */
public final class TorchFiles {
    private static final BigInteger LEGACY_MAGIC_NUMBER = new BigInteger("1950a86a20f9469cfc6c", 16);
    private static final long LEGACY_PROTOCOL_VERSION = 1001;

    private TorchFiles() {}

    /** What {@link #inspect} found: the format, a one-line description, and the value with {@link TensorInfo}s for tensors. */
    public record Contents(ModelFileFormat format, String description, Object root) {}

    public static Object load(Path file) throws IOException { return load(file, LoadLimits.DEFAULT); }

    public static Object load(Path file, LoadLimits limits) throws IOException { return read(file, limits, true).root(); }

    /** Reads and checks everything but the tensor data: shapes and dtypes without allocating the weights. */
    public static Contents inspect(Path file, LoadLimits limits) throws IOException { return read(file, limits, false); }

    /** {@code torch.save(value, file)}: see {@link TorchWriter}. The write is atomic. */
    public static void save(Object value, Path file) throws IOException { TorchWriter.save(value, file); }

    private static Contents read(Path file, LoadLimits limits, boolean loadData) throws IOException {
        String name = file.toString();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (ch.size() > limits.maxFileBytes())
                throw new ModelFormatException(name + ": file of " + ch.size() + " bytes exceeds the limit of " + limits.maxFileBytes());
            return switch (ModelFileFormat.detect(ch, name)) {
                case TORCH_ZIP -> readZip(ch, name, limits, loadData);
                case TORCH_LEGACY -> readLegacy(ch, name, limits, loadData);
                case SAFETENSORS -> throw new ModelFormatException(name + ": a safetensors file; read it with SafeTensors.load");
            };
        }
    }

    private static Contents readZip(FileChannel ch, String name, LoadLimits limits, boolean loadData) throws IOException {
        ZipArchive zip = ZipArchive.open(ch, name, limits);
        if (zip.record("constants.pkl") != null || zip.entries().stream().anyMatch(e -> e.name().startsWith(zip.prefix() + "/code/")))
            throw new ModelFormatException(name + ": a TorchScript archive (torch.jit.save), not a torch.save file; torch.load(weights_only=True) refuses it too");
        ZipArchive.Entry versionRec = zip.record(".data/version") != null ? zip.record(".data/version") : zip.record("version");
        if (versionRec == null) throw new ModelFormatException(name + ": PytorchStreamReader failed locating file version: file not found");
        String v = new String(zip.readAll(versionRec, 64), StandardCharsets.US_ASCII).strip();
        int version;
        try {
            version = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new ModelFormatException(name + ": version record '" + v + "' is not a number");
        }
        if (version < 1 || version > 10) throw new ModelFormatException(name + ": unsupported file format version " + version + " (torch reads 1 to 10)");
        boolean big = false;
        ZipArchive.Entry bo = zip.record("byteorder");
        if (bo != null) {
            String order = new String(zip.readAll(bo, 16), StandardCharsets.US_ASCII);
            if (!order.equals("little") && !order.equals("big")) throw new ModelFormatException(name + ": Unknown endianness type: " + order);
            big = order.equals("big");
        }
        ZipArchive.Entry pkl = zip.record("data.pkl");
        if (pkl == null) throw new ModelFormatException(name + ": PytorchStreamReader failed locating file data.pkl: file not found");
        ByteSource src = ByteSource.of(zip.readAll(pkl, limits.maxPickleBytes()));
        StorageTable storages = new StorageTable(false);
        Object root = new Unpickler(src, name + ": data.pkl", limits, storages).load();
        if (src.remaining() != 0) throw new ModelFormatException(name + ": data.pkl has " + src.remaining() + " bytes after STOP");
        Values.checkGraph(root, limits.maxDepth());
        storages.checkAllTyped();
        Map<String, ZipArchive.Entry> records = new LinkedHashMap<>();
        for (StorageDecl d : storages.decls().values()) {
            ZipArchive.Entry rec = zip.record("data/" + d.key());
            if (rec == null) throw new ModelFormatException(name + ": PytorchStreamReader failed locating file data/" + d.key() + ": file not found");
            if (rec.size() != d.nbytes())
                throw new ModelFormatException(name + ": record data/" + d.key() + " has " + rec.size() + " bytes but its storage declares " + d.numel()
                        + " elements of " + d.dtype() + " (" + d.nbytes() + " bytes)");
            records.put(d.key(), rec);
        }
        String description = "PyTorch zip archive (folder '" + zip.prefix() + "/', format version " + version + ", " + (big ? "big" : "little") + "-endian)";
        if (!loadData) return new Contents(ModelFileFormat.TORCH_ZIP, description, resolve(root, null));
        Map<String, HostStorage> data = new LinkedHashMap<>();
        for (StorageDecl d : storages.decls().values()) {
            HostStorage h = HostStorage.allocate(d.dtype(), (int) d.numel(), Backends.cpu());
            StorageFiller filler = new StorageFiller(h, big, name + ": record data/" + d.key());
            zip.stream(records.get(d.key()), filler);
            filler.finish();
            data.put(d.key(), h);
        }
        return new Contents(ModelFileFormat.TORCH_ZIP, description, resolve(root, data));
    }

    /**
     * The pre-1.6 format: five pickles (magic number, protocol version, sys_info, the object, the storage keys)
     * then, per key in that order, an int64 element count and the raw elements.
     */
    private static Contents readLegacy(FileChannel ch, String name, LoadLimits limits, boolean loadData) throws IOException {
        ByteSource src = ByteSource.of(ch, 0, ch.size());
        StorageTable none = new StorageTable(true);
        Object magic = new Unpickler(src, name + ": magic number", limits, none).load();
        if (!LEGACY_MAGIC_NUMBER.equals(magic)) throw new ModelFormatException(name + ": Invalid magic number; corrupt file?");
        Object proto = new Unpickler(src, name + ": protocol version", limits, none).load();
        if (!Long.valueOf(LEGACY_PROTOCOL_VERSION).equals(proto)) throw new ModelFormatException(name + ": Invalid protocol version: " + Values.describe(proto));
        Object sysInfo = new Unpickler(src, name + ": sys_info", limits, none).load();
        if (!(sysInfo instanceof Map<?, ?> info) || !(info.get("little_endian") instanceof Boolean little))
            throw new ModelFormatException(name + ": sys_info must be a dict with 'little_endian', got " + Values.describe(sysInfo));
        if (!none.decls().isEmpty()) throw new ModelFormatException(name + ": storages outside the main pickle");
        StorageTable storages = new StorageTable(true);
        Object root = new Unpickler(src, name + ": main pickle", limits, storages).load();
        Values.checkGraph(root, limits.maxDepth());
        storages.checkAllTyped();
        Object keysObj = new Unpickler(src, name + ": storage keys", limits, new StorageTable(true)).load();
        if (!(keysObj instanceof java.util.List<?> keys)) throw new ModelFormatException(name + ": storage key list is " + Values.describe(keysObj));
        if (keys.size() != storages.decls().size() || !storages.decls().keySet().containsAll(keys))
            throw new ModelFormatException(name + ": storage key list does not match the storages the pickle declares");
        boolean big = !little;
        long at = src.position();
        Map<String, long[]> regions = new LinkedHashMap<>(); // key -> {offset, bytes}
        for (Object k : keys) {
            StorageDecl d = storages.decls().get((String) k);
            if (regions.containsKey(d.key())) throw new ModelFormatException(name + ": storage '" + d.key() + "' listed twice");
            if (at + 8 > ch.size()) throw new ModelFormatException(name + ": file ends before storage '" + d.key() + "'");
            java.nio.ByteBuffer countBuf = ZipArchive.read(ch, at, 8);
            long count = big ? Long.reverseBytes(countBuf.getLong(0)) : countBuf.getLong(0);
            if (count != d.numel())
                throw new ModelFormatException(name + ": storage '" + d.key() + "' holds " + count + " elements but the pickle declares " + d.numel());
            at += 8;
            if (d.nbytes() > ch.size() - at) throw new ModelFormatException(name + ": storage '" + d.key() + "' runs past the end of the file");
            regions.put(d.key(), new long[] {at, d.nbytes()});
            at += d.nbytes();
        }
        if (at != ch.size()) throw new ModelFormatException(name + ": " + (ch.size() - at) + " bytes after the last storage");
        String description = "PyTorch legacy (pre-1.6) file, " + (big ? "big" : "little") + "-endian";
        if (!loadData) return new Contents(ModelFileFormat.TORCH_LEGACY, description, resolve(root, null));
        Map<String, HostStorage> data = new LinkedHashMap<>();
        for (StorageDecl d : storages.decls().values()) {
            HostStorage h = HostStorage.allocate(d.dtype(), (int) d.numel(), Backends.cpu());
            long[] r = regions.get(d.key());
            StorageFiller filler = new StorageFiller(h, big, name + ": storage '" + d.key() + "'");
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate((int) Math.min(1 << 20, Math.max(r[1], 1)));
            for (long done = 0; done < r[1]; ) {
                int n = (int) Math.min(buf.capacity(), r[1] - done);
                buf.clear().limit(n);
                ZipArchive.readFully(ch, buf, r[0] + done);
                filler.accept(buf.flip());
                done += n;
            }
            filler.finish();
            data.put(d.key(), h);
        }
        return new Contents(ModelFileFormat.TORCH_LEGACY, description, resolve(root, data));
    }

    /** Replaces tensor descriptions by tensors over the loaded storages (or keeps them, for inspect). */
    private static Object resolve(Object root, Map<String, HostStorage> data) {
        return Values.resolve(root, info -> {
            if (data == null) return info;
            Tensor t = Tensor.of(data.get(info.storageKey()), new Layout(info.shape(), info.strides(), info.storageOffset()));
            return info.requiresGrad() ? t.requiresGrad_(true) : t;
        }, new IdentityHashMap<>());
    }
}
