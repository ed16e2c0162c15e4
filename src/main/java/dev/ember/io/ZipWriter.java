package dev.ember.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * Writes the zip layout torch's reader expects: every entry STORED under one folder, data aligned to 64
 * bytes with torch's own padding extra field ({@code 0x4246} "FB", padded with 'Z'), real CRC-32s and sizes
 * in the local headers (no data descriptors, so any zip reader can stream it), zip64 records only when a
 * size or offset needs them. Entry data is streamed; its CRC is patched into the header afterwards.
 */
final class ZipWriter {
    static final int ALIGNMENT = 64;
    private static final long MAX32 = 0xFFFFFFFFL;

    private record Written(byte[] name, long crc, long size, long headerOffset) {}

    interface Producer {
        /** Writes exactly the declared number of bytes through {@code out}. */
        void produce(Output out) throws IOException;
    }

    interface Output {
        void write(ByteBuffer chunk) throws IOException;
    }

    private final FileChannel ch;
    private final String prefix;
    private final boolean forceZip64;
    private final List<Written> written = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private final CRC32 combined = new CRC32();
    private long pos;

    ZipWriter(FileChannel ch, String prefix, boolean forceZip64) throws IOException {
        this.ch = ch;
        this.prefix = prefix;
        this.forceZip64 = forceZip64;
        this.pos = ch.position();
    }

    /** CRC-32 of every record's data in write order (the second half of torch 2.x's serialization id). */
    long combinedCrc() { return combined.getValue(); }

    List<String> recordNames() { return written.stream().map(w -> new String(w.name(), StandardCharsets.UTF_8)).toList(); }

    void add(String name, byte[] data) throws IOException {
        add(name, data.length, out -> out.write(ByteBuffer.wrap(data)));
    }

    void add(String name, long size, Producer producer) throws IOException {
        String full = prefix + "/" + name;
        if (!names.add(full)) throw new IllegalStateException("duplicate zip entry " + full);
        byte[] nameBytes = full.getBytes(StandardCharsets.UTF_8);
        boolean zip64 = forceZip64 || size >= MAX32;
        long headerAt = pos;
        int fixed = 30 + nameBytes.length + (zip64 ? 20 : 0);
        int pad = (int) (-(headerAt + fixed + 4) & (ALIGNMENT - 1));
        ByteBuffer h = le(fixed + 4 + pad);
        h.putInt(0x04034b50).putShort((short) (zip64 ? 45 : 20)).putShort(utf8Flag(full)).putShort((short) ZipArchive.STORED)
                .putShort((short) 0).putShort((short) 0).putInt(0) // time, date, crc (patched below)
                .putInt((int) (zip64 ? MAX32 : size)).putInt((int) (zip64 ? MAX32 : size))
                .putShort((short) nameBytes.length).putShort((short) ((zip64 ? 20 : 0) + 4 + pad)).put(nameBytes);
        if (zip64) h.putShort((short) 1).putShort((short) 16).putLong(size).putLong(size);
        h.putShort((short) 0x4246).putShort((short) pad);
        for (int i = 0; i < pad; i++) h.put((byte) 'Z');
        writeAll(h.flip());
        CRC32 crc = new CRC32();
        long[] count = {0};
        producer.produce(chunk -> {
            crc.update(chunk.duplicate());
            combined.update(chunk.duplicate());
            count[0] += chunk.remaining();
            writeAll(chunk);
        });
        if (count[0] != size) throw new IllegalStateException("zip entry " + full + ": wrote " + count[0] + " bytes, declared " + size);
        ByteBuffer c = le(4).putInt((int) crc.getValue()).flip();
        while (c.hasRemaining()) ch.write(c, headerAt + 14 + c.position());
        written.add(new Written(nameBytes, crc.getValue(), size, headerAt));
    }

    /** Central directory and end records. */
    void finish() throws IOException {
        long cdStart = pos;
        for (Written w : written) {
            boolean bigSize = forceZip64 || w.size() >= MAX32, bigOffset = forceZip64 || w.headerOffset() >= MAX32;
            int extra = (bigSize ? 16 : 0) + (bigOffset ? 8 : 0);
            ByteBuffer e = le(46 + w.name().length + (extra > 0 ? 4 + extra : 0));
            e.putInt(0x02014b50).putShort((short) (extra > 0 ? 45 : 20)).putShort((short) (extra > 0 ? 45 : 20))
                    .putShort(utf8Flag(new String(w.name(), StandardCharsets.UTF_8))).putShort((short) ZipArchive.STORED).putShort((short) 0).putShort((short) 0)
                    .putInt((int) w.crc()).putInt((int) (bigSize ? MAX32 : w.size())).putInt((int) (bigSize ? MAX32 : w.size()))
                    .putShort((short) w.name().length).putShort((short) (extra > 0 ? 4 + extra : 0)).putShort((short) 0)
                    .putShort((short) 0).putShort((short) 0).putInt(0).putInt((int) (bigOffset ? MAX32 : w.headerOffset())).put(w.name());
            if (extra > 0) {
                e.putShort((short) 1).putShort((short) extra);
                if (bigSize) e.putLong(w.size()).putLong(w.size());
                if (bigOffset) e.putLong(w.headerOffset());
            }
            writeAll(e.flip());
        }
        long cdSize = pos - cdStart;
        boolean zip64 = forceZip64 || written.size() >= 0xFFFF || cdStart >= MAX32 || cdSize >= MAX32;
        if (zip64) {
            long z64At = pos;
            ByteBuffer z = le(56 + 20);
            z.putInt(0x06064b50).putLong(44).putShort((short) 45).putShort((short) 45).putInt(0).putInt(0)
                    .putLong(written.size()).putLong(written.size()).putLong(cdSize).putLong(cdStart);
            z.putInt(0x07064b50).putInt(0).putLong(z64At).putInt(1);
            writeAll(z.flip());
        }
        ByteBuffer end = le(22);
        int n = zip64 ? 0xFFFF : written.size();
        end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) n).putShort((short) n)
                .putInt((int) (zip64 ? MAX32 : cdSize)).putInt((int) (zip64 ? MAX32 : cdStart)).putShort((short) 0);
        writeAll(end.flip());
    }

    private static short utf8Flag(String name) {
        return (short) (name.chars().allMatch(c -> c < 0x80) ? 0 : 0x0800);
    }

    private void writeAll(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) pos += ch.write(b, pos);
    }

    private static ByteBuffer le(int n) { return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN); }
}
