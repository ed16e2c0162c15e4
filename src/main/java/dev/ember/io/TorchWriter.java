package dev.ember.io;

import dev.ember.tensor.spi.HostStorage;
import dev.ember.tensor.spi.Storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code torch.save(obj, f)}: the zip layout torch 1.13 and 2.x load with {@code weights_only=True}. Records,
 * in torch 2.x's order: {@code data.pkl}, {@code .storage_alignment}, {@code byteorder}, {@code data/0..N}
 * (each whole storage, little-endian), {@code version}, {@code .data/serialization_id}.
 *
 * <p>{@code .format_version} is deliberately not written: with it torch 2.x may compute storage offsets by
 * assuming miniz's exact byte layout (data descriptors, its padding) instead of reading them, and this writer's
 * layout differs (no data descriptors). Floats in the value (optimizer hyper-parameters) are BINFLOAT, which
 * torch 1.13's weights-only unpickler rejects, as it does for torch's own optimizer files.
 */
final class TorchWriter {
    private TorchWriter() {}

    static void save(Object value, Path file) throws IOException {
        save(value, file, false);
    }

    /** {@code forceZip64} writes zip64 records for every entry (tests use it; torch reads both). */
    static void save(Object value, Path file, boolean forceZip64) throws IOException {
        Pickler p = new Pickler();
        byte[] pkl = p.pickle(value);
        String prefix = archiveName(file);
        AtomicFiles.write(file, ch -> {
            ZipWriter zip = new ZipWriter(ch, prefix, forceZip64);
            zip.add("data.pkl", pkl);
            zip.add(".storage_alignment", String.valueOf(ZipWriter.ALIGNMENT).getBytes(StandardCharsets.US_ASCII));
            zip.add("byteorder", "little".getBytes(StandardCharsets.US_ASCII));
            for (Map.Entry<Storage, String> e : p.storages.entrySet()) {
                Storage s = e.getKey();
                HostStorage h = s.backend().toHost(s);
                long bytes = (long) h.size() * h.dtype().itemSize();
                zip.add("data/" + e.getValue(), bytes, out -> {
                    int per = Math.max(1, (1 << 20) / h.dtype().itemSize());
                    for (int from = 0; from < h.size(); from += per) out.write(ByteBuffer.wrap(h.toBytes(from, Math.min(per, h.size() - from))));
                });
            }
            zip.add("version", "3\n".getBytes(StandardCharsets.US_ASCII));
            zip.add(".data/serialization_id", serializationId(zip).getBytes(StandardCharsets.US_ASCII));
            zip.finish();
        });
    }

    /** torch's record folder: the file name without its last extension; {@code archive} when that is empty or not ASCII. */
    static String archiveName(Path file) {
        String base = file.getFileName().toString();
        int dot = base.lastIndexOf('.');
        String name = dot > 0 ? base.substring(0, dot) : base;
        if (name.isEmpty() || !name.chars().allMatch(c -> c >= 0x20 && c < 0x7F)) return "archive";
        return name;
    }

    /**
     * 40 digits like torch 2.x's: a 64-bit hash of the record names (torch uses std::hash, which is not
     * portable, so this one is FNV-1a) and the CRC-32 of all record data in write order. Informational only.
     */
    private static String serializationId(ZipWriter zip) {
        List<String> names = new ArrayList<>(zip.recordNames());
        names.sort(null);
        long h = 0xcbf29ce484222325L;
        for (String n : names) {
            for (byte b : n.getBytes(StandardCharsets.UTF_8)) {
                h ^= b & 0xFF;
                h *= 0x100000001b3L;
            }
        }
        return String.format("%020d%020d", new java.math.BigInteger(Long.toUnsignedString(h)), zip.combinedCrc());
    }
}
