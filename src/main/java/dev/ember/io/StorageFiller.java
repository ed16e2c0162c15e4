package dev.ember.io;

import dev.ember.tensor.spi.HostStorage;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Fills a storage from a stream of byte chunks of any size, converting from the file's byte order. Chunks are
 * regrouped into whole elements through one small buffer, so loading needs the weights' size plus a megabyte.
 */
final class StorageFiller implements ZipArchive.ChunkSink {
    private final HostStorage dst;
    private final boolean bigEndian;
    private final int itemSize;
    private final ByteBuffer buf;
    private final String what;
    private int filled; // elements written

    StorageFiller(HostStorage dst, boolean bigEndian, String what) {
        this.dst = dst;
        this.bigEndian = bigEndian;
        this.itemSize = dst.dtype().itemSize();
        this.buf = ByteBuffer.allocate((int) Math.min(1 << 20, Math.max((long) dst.size() * itemSize, 8)));
        this.what = what;
    }

    @Override
    public void accept(ByteBuffer chunk) throws IOException {
        while (chunk.hasRemaining()) {
            int n = Math.min(buf.remaining(), chunk.remaining());
            ByteBuffer part = chunk.slice(chunk.position(), n);
            buf.put(part);
            chunk.position(chunk.position() + n);
            if (!buf.hasRemaining()) flush();
        }
    }

    /** Writes what is buffered; the total must come to exactly the storage's size. */
    void finish() throws IOException {
        flush();
        if (buf.position() != 0 || filled != dst.size())
            throw new ModelFormatException(what + ": got " + ((long) filled * itemSize + buf.position()) + " bytes for " + dst.size() + " elements of " + dst.dtype());
    }

    private void flush() throws IOException {
        buf.flip();
        int elements = buf.remaining() / itemSize;
        if (filled + (long) elements > dst.size()) throw new ModelFormatException(what + ": more data than its " + dst.size() + " elements");
        if (bigEndian && itemSize > 1) swap(buf, elements * itemSize);
        try {
            dst.fromBytes(buf, filled, elements);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(what + ": " + e.getMessage() + " (bool storages hold bytes 0 and 1)");
        }
        filled += elements;
        buf.position(elements * itemSize);
        buf.compact();
    }

    private void swap(ByteBuffer b, int len) {
        for (int i = 0; i < len; i += itemSize) {
            for (int lo = i, hi = i + itemSize - 1; lo < hi; lo++, hi--) {
                byte t = b.get(lo);
                b.put(lo, b.get(hi));
                b.put(hi, t);
            }
        }
    }
}
