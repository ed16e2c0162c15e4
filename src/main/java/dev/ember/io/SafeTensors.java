package dev.ember.io;

import dev.ember.tensor.Backends;
import dev.ember.tensor.DType;
import dev.ember.tensor.Layout;
import dev.ember.tensor.Tensor;
import dev.ember.tensor.spi.HostStorage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * huggingface safetensors, read and written with the reference implementation's rules (safetensors
 * {@code tensor.rs}): u64 little-endian header size (at most 100,000,000), a UTF-8 JSON header, then the data;
 * entries {@code {"dtype", "shape", "data_offsets"}} whose offsets, sorted, tile the data exactly with no gap,
 * overlap or trailing byte; {@code shape} product times the dtype size equal to the entry's bytes;
 * {@code __metadata__} string to string. Stricter than the reference: duplicate JSON keys are refused.
 */
public final class SafeTensors {
    /** The reference's MAX_HEADER_SIZE. */
    public static final long MAX_HEADER_SIZE = 100_000_000;

    private SafeTensors() {}

    /** One entry as the header describes it. */
    public record Entry(String name, String dtypeCode, long[] shape, long begin, long end) {}

    /** A loaded file: tensors in header order, and the {@code __metadata__} strings. */
    public record Contents(LinkedHashMap<String, Tensor> tensors, LinkedHashMap<String, String> metadata) {}

    /** The header of a checked file, without reading the data. */
    public record Header(List<Entry> entries, LinkedHashMap<String, String> metadata, long dataStart) {}

    public static Contents load(Path file) throws IOException { return load(file, LoadLimits.DEFAULT); }

    public static Contents load(Path file, LoadLimits limits) throws IOException {
        String name = file.toString();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Header h = header(ch, name, limits);
            LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
            for (Entry e : h.entries()) {
                DType dtype = dtype(e, name);
                int[] shape = new int[e.shape().length];
                for (int i = 0; i < shape.length; i++) shape[i] = (int) e.shape()[i];
                long numel = (e.end() - e.begin()) / dtype.itemSize();
                HostStorage hs = HostStorage.allocate(dtype, (int) numel, Backends.cpu());
                StorageFiller filler = new StorageFiller(hs, false, name + ": tensor '" + e.name() + "'");
                ByteBuffer buf = ByteBuffer.allocate((int) Math.min(1 << 20, Math.max(e.end() - e.begin(), 1)));
                for (long at = e.begin(); at < e.end(); ) {
                    int n = (int) Math.min(buf.capacity(), e.end() - at);
                    buf.clear().limit(n);
                    ZipArchive.readFully(ch, buf, h.dataStart() + at);
                    filler.accept(buf.flip());
                    at += n;
                }
                filler.finish();
                tensors.put(e.name(), Tensor.of(hs, Layout.contiguous(shape)));
            }
            return new Contents(tensors, h.metadata());
        }
    }

    /** Reads and checks the header only (every rule above, plus Ember's dtype and size support). */
    public static Header inspect(Path file, LoadLimits limits) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return header(ch, file.toString(), limits);
        }
    }

    static Header header(FileChannel ch, String name, LoadLimits limits) throws IOException {
        long size = ch.size();
        if (size > limits.maxFileBytes()) throw new ModelFormatException(name + ": file of " + size + " bytes exceeds the limit of " + limits.maxFileBytes());
        if (size < 8) throw new ModelFormatException(name + ": HeaderTooSmall: a safetensors file starts with an 8-byte header size");
        long n = ZipArchive.read(ch, 0, 8).getLong(0);
        if (n < 0 || n > MAX_HEADER_SIZE) throw new ModelFormatException(name + ": HeaderTooLarge: header size " + Long.toUnsignedString(n) + " exceeds " + MAX_HEADER_SIZE);
        if (8 + n > size) throw new ModelFormatException(name + ": InvalidHeaderLength: header of " + n + " bytes runs past the end of the file");
        byte[] raw = new byte[(int) n];
        ZipArchive.readFully(ch, ByteBuffer.wrap(raw), 8);
        Object json;
        try {
            json = Json.parse(raw, new Json.Limits((int) MAX_HEADER_SIZE, 64));
        } catch (JsonException e) {
            throw new ModelFormatException(name + ": InvalidHeaderDeserialization: " + e.getMessage());
        }
        if (!(json instanceof Map<?, ?> top)) throw new ModelFormatException(name + ": InvalidHeaderDeserialization: the header must be a JSON object");
        LinkedHashMap<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<?, ?> e : top.entrySet()) {
            String key = (String) e.getKey();
            if (key.equals("__metadata__")) {
                if (e.getValue() == null) continue;
                if (!(e.getValue() instanceof Map<?, ?> meta)) throw new ModelFormatException(name + ": __metadata__ must be an object of strings");
                for (Map.Entry<?, ?> m : meta.entrySet()) {
                    if (!(m.getValue() instanceof String v))
                        throw new ModelFormatException(name + ": __metadata__ value for '" + m.getKey() + "' is not a string (only string to string is allowed)");
                    metadata.put((String) m.getKey(), v);
                }
                continue;
            }
            entries.add(entry(name, key, e.getValue()));
        }
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expected = 0;
        for (Entry e : byOffset) {
            if (e.begin() != expected || e.end() < e.begin()) throw new ModelFormatException(name + ": InvalidOffset: tensor '" + e.name() + "' data_offsets "
                    + "[" + e.begin() + ", " + e.end() + "] (tensors must tile the data buffer with no gap or overlap)");
            expected = e.end();
            int bits = bits(e.dtypeCode());
            long numel = 1;
            try {
                for (long d : e.shape()) numel = Math.multiplyExact(numel, d);
                long totalBits = Math.multiplyExact(numel, (long) bits);
                if (totalBits % 8 != 0) throw new ModelFormatException(name + ": MisalignedSlice: tensor '" + e.name() + "' is not a whole number of bytes");
                if (totalBits / 8 != e.end() - e.begin())
                    throw new ModelFormatException(name + ": TensorInvalidInfo: tensor '" + e.name() + "' of shape " + java.util.Arrays.toString(e.shape()) + " and dtype "
                            + e.dtypeCode() + " needs " + totalBits / 8 + " bytes but data_offsets give " + (e.end() - e.begin()));
            } catch (ArithmeticException overflow) {
                throw new ModelFormatException(name + ": ValidationOverflow: the size of tensor '" + e.name() + "' overflows");
            }
        }
        if (8 + n + expected != size)
            throw new ModelFormatException(name + ": MetadataIncompleteBuffer: the header covers " + expected + " data bytes but the file has " + (size - 8 - n));
        for (Entry e : entries) {
            dtype(e, name);
            for (long d : e.shape()) if (d > Integer.MAX_VALUE) throw new ModelFormatException(name + ": tensor '" + e.name() + "' has a dimension beyond 2^31-1");
            if ((e.end() - e.begin()) / Math.max(1, bits(e.dtypeCode()) / 8) > StorageTable.MAX_NUMEL)
                throw new ModelFormatException(name + ": tensor '" + e.name() + "' is larger than Ember's largest storage");
        }
        return new Header(entries, metadata, 8 + n);
    }

    private static Entry entry(String file, String key, Object v) throws ModelFormatException {
        if (!(v instanceof Map<?, ?> m)) throw new ModelFormatException(file + ": InvalidHeaderDeserialization: entry '" + key + "' is not an object");
        if (!(m.get("dtype") instanceof String dtype)) throw new ModelFormatException(file + ": InvalidHeaderDeserialization: entry '" + key + "' has no string dtype");
        bits(dtype, file, key);
        long[] shape = longs(file, key, "shape", m.get("shape"), -1);
        long[] offsets = longs(file, key, "data_offsets", m.get("data_offsets"), 2);
        return new Entry(key, dtype, shape, offsets[0], offsets[1]);
    }

    private static long[] longs(String file, String key, String field, Object v, int len) throws ModelFormatException {
        if (!(v instanceof List<?> l) || (len >= 0 && l.size() != len))
            throw new ModelFormatException(file + ": InvalidHeaderDeserialization: entry '" + key + "' " + field + " must be an array" + (len >= 0 ? " of " + len : "") + " of integers");
        long[] out = new long[l.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(l.get(i) instanceof Long x) || x < 0)
                throw new ModelFormatException(file + ": InvalidHeaderDeserialization: entry '" + key + "' " + field + " must hold non-negative integers, got " + l.get(i));
            out[i] = x;
        }
        return out;
    }

    private static int bits(String code, String file, String key) throws ModelFormatException {
        int b = bits(code);
        if (b < 0) throw new ModelFormatException(file + ": InvalidHeaderDeserialization: entry '" + key + "' has unknown dtype " + code);
        return b;
    }

    /** The reference's dtypes and their bit widths; -1 if unknown. */
    static int bits(String code) {
        return switch (code) {
            case "BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "F8_E8M0", "F8_E4M3FNUZ", "F8_E5M2FNUZ" -> 8;
            case "I16", "U16", "F16", "BF16" -> 16;
            case "I32", "U32", "F32" -> 32;
            case "I64", "U64", "F64", "C64" -> 64;
            case "F6_E2M3", "F6_E3M2" -> 6;
            case "F4" -> 4;
            default -> -1;
        };
    }

    static DType dtype(Entry e, String file) throws ModelFormatException {
        return switch (e.dtypeCode()) {
            case "BOOL" -> DType.BOOL;
            case "U8" -> DType.UINT8;
            case "I8" -> DType.INT8;
            case "I16" -> DType.INT16;
            case "I32" -> DType.INT32;
            case "I64" -> DType.INT64;
            case "F16" -> DType.FLOAT16;
            case "BF16" -> DType.BFLOAT16;
            case "F32" -> DType.FLOAT32;
            case "F64" -> DType.FLOAT64;
            default -> throw new ModelFormatException(file + ": tensor '" + e.name() + "' has dtype " + e.dtypeCode() + ", which Ember does not support");
        };
    }

    /** Position in the reference's {@code Dtype} enum ("increasing alignment order"), which its writer sorts by. */
    private static int rank(DType d) {
        return switch (d) {
            case BOOL -> 0;
            case UINT8 -> 1;
            case INT8 -> 2;
            case INT16 -> 5;
            case FLOAT16 -> 7;
            case BFLOAT16 -> 8;
            case INT32 -> 9;
            case FLOAT32 -> 11;
            case FLOAT64 -> 12;
            case INT64 -> 13;
        };
    }

    static String code(DType d) {
        return switch (d) {
            case BOOL -> "BOOL";
            case UINT8 -> "U8";
            case INT8 -> "I8";
            case INT16 -> "I16";
            case INT32 -> "I32";
            case INT64 -> "I64";
            case FLOAT16 -> "F16";
            case BFLOAT16 -> "BF16";
            case FLOAT32 -> "F32";
            case FLOAT64 -> "F64";
        };
    }

    public static void save(Map<String, Tensor> tensors, Path file) throws IOException { save(tensors, Map.of(), file); }

    /**
     * Writes as the reference's {@code serialize}: {@code __metadata__} first, tensors ordered by the reference's
     * dtype order (largest alignment first) then name, packed contiguously; the header padded with spaces to a multiple of 8.
     * Views are written as their values (the format has no sharing); the write is atomic.
     */
    public static void save(Map<String, Tensor> tensors, Map<String, String> metadata, Path file) throws IOException {
        List<Map.Entry<String, Tensor>> order = new ArrayList<>(tensors.entrySet());
        order.sort(Comparator.<Map.Entry<String, Tensor>>comparingInt(e -> -rank(e.getValue().dtype()))
                .thenComparing((a, b) -> java.util.Arrays.compareUnsigned(a.getKey().getBytes(StandardCharsets.UTF_8), b.getKey().getBytes(StandardCharsets.UTF_8))));
        Map<String, Object> header = new LinkedHashMap<>();
        if (!metadata.isEmpty()) header.put("__metadata__", new LinkedHashMap<>(metadata));
        long offset = 0;
        for (Map.Entry<String, Tensor> e : order) {
            if (e.getKey().equals("__metadata__")) throw new IllegalArgumentException("a tensor cannot be named __metadata__ in safetensors");
            Tensor t = e.getValue();
            long bytes = (long) t.numel() * t.dtype().itemSize();
            List<Long> shape = new ArrayList<>();
            for (int d : t.shape()) shape.add((long) d);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("dtype", code(t.dtype()));
            entry.put("shape", shape);
            entry.put("data_offsets", List.of(offset, offset + bytes));
            header.put(e.getKey(), entry);
            offset += bytes;
        }
        byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) & ~7;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) head.put((byte) ' ');
        AtomicFiles.write(file, ch -> {
            ch.write(head.flip());
            for (Map.Entry<String, Tensor> e : order) {
                HostStorage h = e.getValue().contiguous().toHost();
                int per = Math.max(1, (1 << 20) / h.dtype().itemSize());
                for (int from = 0; from < h.size(); from += per) {
                    ByteBuffer b = ByteBuffer.wrap(h.toBytes(from, Math.min(per, h.size() - from)));
                    while (b.hasRemaining()) ch.write(b);
                }
            }
        });
    }
}
