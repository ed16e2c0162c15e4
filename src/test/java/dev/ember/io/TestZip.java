package dev.ember.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/** A raw zip builder for hostile archives: duplicates, DEFLATE with any declared size, wrong CRCs, any names. */
final class TestZip {
    record Item(String name, byte[] data, boolean deflate, long declaredSize, long crc, int flags) {}

    private final List<Item> items = new ArrayList<>();

    TestZip add(String name, byte[] data) {
        return add(new Item(name, data, false, data.length, crc(data), 0));
    }

    TestZip add(Item item) {
        items.add(item);
        return this;
    }

    static long crc(byte[] data) {
        CRC32 c = new CRC32();
        c.update(data);
        return c.getValue();
    }

    static byte[] deflate(byte[] data) {
        Deflater d = new Deflater(9, true);
        d.setInput(data);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        while (!d.finished()) out.write(buf, 0, d.deflate(buf));
        d.end();
        return out.toByteArray();
    }

    /** A minimal valid torch archive around a pickle and storage records ({@code data/<key>}). */
    static TestZip torch(byte[] pkl, Map<String, byte[]> storages) {
        TestZip z = new TestZip().add("archive/data.pkl", pkl);
        storages.forEach((k, v) -> z.add("archive/data/" + k, v));
        return z.add("archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
    }

    static Map<String, byte[]> records(Object... keyAndBytes) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (int i = 0; i < keyAndBytes.length; i += 2) m.put((String) keyAndBytes[i], (byte[]) keyAndBytes[i + 1]);
        return m;
    }

    byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream cd = new ByteArrayOutputStream();
        for (Item it : items) {
            byte[] name = it.name().getBytes(StandardCharsets.UTF_8);
            byte[] data = it.deflate() ? deflate(it.data()) : it.data();
            int offset = out.size();
            ByteBuffer h = le(30 + name.length);
            h.putInt(0x04034b50).putShort((short) 20).putShort((short) it.flags()).putShort((short) (it.deflate() ? 8 : 0)).putInt(0)
                    .putInt((int) it.crc()).putInt(data.length).putInt((int) it.declaredSize()).putShort((short) name.length).putShort((short) 0).put(name);
            out.writeBytes(h.array());
            out.writeBytes(data);
            ByteBuffer c = le(46 + name.length);
            c.putInt(0x02014b50).putShort((short) 20).putShort((short) 20).putShort((short) it.flags()).putShort((short) (it.deflate() ? 8 : 0)).putInt(0)
                    .putInt((int) it.crc()).putInt(data.length).putInt((int) it.declaredSize()).putShort((short) name.length).putShort((short) 0)
                    .putShort((short) 0).putShort((short) 0).putShort((short) 0).putInt(0).putInt(offset).put(name);
            cd.writeBytes(c.array());
        }
        int cdAt = out.size();
        out.writeBytes(cd.toByteArray());
        ByteBuffer e = le(22);
        e.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) items.size()).putShort((short) items.size())
                .putInt(cd.size()).putInt(cdAt).putShort((short) 0);
        out.writeBytes(e.array());
        return out.toByteArray();
    }

    Path write(Path file) throws IOException {
        return Files.write(file, bytes());
    }

    private static ByteBuffer le(int n) { return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN); }
}
