package dev.ember.io;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A zip archive read through its central directory, as torch's reader does ({@code ZipInputStream} cannot
 * read torch files: they are STORED entries with data descriptors). Stricter than torch: duplicate names,
 * entries outside the one top-level folder, local headers that disagree with the directory, overlapping
 * entries, encryption, multi-disk archives and DEFLATE entries with zip-bomb ratios are all refused.
 * Entry data is streamed in chunks, never read whole, and its CRC-32 is checked when the archive has one.
 */
final class ZipArchive {
    private static final int EOCD = 0x06054b50, ZIP64_LOCATOR = 0x07064b50, ZIP64_EOCD = 0x06064b50, CENTRAL = 0x02014b50, LOCAL = 0x04034b50;
    static final int STORED = 0, DEFLATED = 8;
    private static final int CHUNK = 1 << 20;

    record Entry(String name, int method, int flags, long crc, long compressedSize, long size, long headerOffset, long dataOffset) {}

    private final FileChannel ch;
    private final String file;
    private final LoadLimits limits;
    private final Map<String, Entry> entries;
    private final String prefix;

    private ZipArchive(FileChannel ch, String file, LoadLimits limits, Map<String, Entry> entries, String prefix) {
        this.ch = ch;
        this.file = file;
        this.limits = limits;
        this.entries = entries;
        this.prefix = prefix;
    }

    /** The top-level folder every record lives in (torch: the file name without extension, or {@code archive}). */
    String prefix() { return prefix; }

    /** Entries in central-directory order. */
    List<Entry> entries() { return List.copyOf(entries.values()); }

    /** The record {@code prefix/name}, or null. */
    Entry record(String name) { return entries.get(prefix + "/" + name); }

    static ZipArchive open(FileChannel ch, String file, LoadLimits limits) throws IOException {
        long size = ch.size();
        if (size < 22) throw new ModelFormatException(file + ": not a zip archive (too short)");
        int tailLen = (int) Math.min(size, 22 + 65535);
        ByteBuffer tail = read(ch, size - tailLen, tailLen);
        int eocd = -1;
        for (int p = tailLen - 22; p >= 0; p--) {
            if (tail.getInt(p) == EOCD && p + 22 + (tail.getShort(p + 20) & 0xFFFF) == tailLen) {
                eocd = p;
                break;
            }
        }
        if (eocd < 0) throw new ModelFormatException(file + ": not a zip archive (no end-of-central-directory record)");
        long eocdAt = size - tailLen + eocd;
        int disk = tail.getShort(eocd + 4) & 0xFFFF, cdDisk = tail.getShort(eocd + 6) & 0xFFFF;
        long count = tail.getShort(eocd + 10) & 0xFFFF, countHere = tail.getShort(eocd + 8) & 0xFFFF;
        long cdSize = tail.getInt(eocd + 12) & 0xFFFFFFFFL, cdOffset = tail.getInt(eocd + 16) & 0xFFFFFFFFL;
        long cdLimit = eocdAt;
        if (eocdAt >= 20 && read(ch, eocdAt - 20, 4).getInt(0) == ZIP64_LOCATOR) {
            ByteBuffer loc = read(ch, eocdAt - 20, 20);
            long z64At = loc.getLong(8);
            if (loc.getInt(4) != 0 || loc.getInt(16) != 1 || z64At < 0 || z64At > eocdAt - 20 - 56)
                throw new ModelFormatException(file + ": bad zip64 end-of-central-directory locator");
            ByteBuffer z = read(ch, z64At, 56);
            if (z.getInt(0) != ZIP64_EOCD) throw new ModelFormatException(file + ": zip64 end-of-central-directory record not found");
            disk = z.getInt(16);
            cdDisk = z.getInt(20);
            countHere = z.getLong(24);
            count = z.getLong(32);
            cdSize = z.getLong(40);
            cdOffset = z.getLong(48);
            cdLimit = z64At;
        } else if (count == 0xFFFF || cdSize == 0xFFFFFFFFL || cdOffset == 0xFFFFFFFFL) {
            throw new ModelFormatException(file + ": zip64 archive without a zip64 locator");
        }
        if (disk != 0 || cdDisk != 0 || countHere != count) throw new ModelFormatException(file + ": multi-disk zip archives are not supported");
        if (count > limits.maxZipEntries()) throw new ModelFormatException(file + ": " + count + " zip entries exceed the limit of " + limits.maxZipEntries());
        if (count == 0) throw new ModelFormatException(file + ": empty zip archive");
        if (cdOffset < 0 || cdSize < 46 * count || cdSize > cdLimit || cdOffset > cdLimit - cdSize)
            throw new ModelFormatException(file + ": central directory lies outside the file");
        if (cdSize > 256L << 20) throw new ModelFormatException(file + ": central directory of " + cdSize + " bytes is too large");
        ByteBuffer cd = read(ch, cdOffset, (int) cdSize);
        Map<String, Entry> entries = new LinkedHashMap<>();
        int p = 0;
        for (long i = 0; i < count; i++) {
            if (p + 46 > cd.limit() || cd.getInt(p) != CENTRAL) throw new ModelFormatException(file + ": corrupt central directory (entry " + i + ")");
            int flags = cd.getShort(p + 8) & 0xFFFF, method = cd.getShort(p + 10) & 0xFFFF;
            long crc = cd.getInt(p + 16) & 0xFFFFFFFFL, csize = cd.getInt(p + 20) & 0xFFFFFFFFL, usize = cd.getInt(p + 24) & 0xFFFFFFFFL;
            int nameLen = cd.getShort(p + 28) & 0xFFFF, extraLen = cd.getShort(p + 30) & 0xFFFF, commentLen = cd.getShort(p + 32) & 0xFFFF;
            long lho = cd.getInt(p + 42) & 0xFFFFFFFFL;
            if ((cd.getShort(p + 34) & 0xFFFF) != 0) throw new ModelFormatException(file + ": multi-disk zip archives are not supported");
            if (p + 46L + nameLen + extraLen + commentLen > cd.limit()) throw new ModelFormatException(file + ": corrupt central directory (entry " + i + ")");
            byte[] nameBytes = new byte[nameLen];
            cd.get(p + 46, nameBytes);
            String name = entryName(file, nameBytes);
            // zip64 extra field: the 0xFFFFFFFF fields, in order usize, csize, offset
            int e = p + 46 + nameLen, eEnd = e + extraLen;
            while (e + 4 <= eEnd) {
                int id = cd.getShort(e) & 0xFFFF, len = cd.getShort(e + 2) & 0xFFFF;
                if (e + 4 + len > eEnd) throw new ModelFormatException(file + ": corrupt extra field in entry " + name);
                if (id == 1) {
                    int q = e + 4;
                    if (usize == 0xFFFFFFFFL) { usize = z64(cd, q, e + 4 + len, file, name); q += 8; }
                    if (csize == 0xFFFFFFFFL) { csize = z64(cd, q, e + 4 + len, file, name); q += 8; }
                    if (lho == 0xFFFFFFFFL) { lho = z64(cd, q, e + 4 + len, file, name); }
                }
                e += 4 + len;
            }
            if ((flags & 0x41) != 0) throw new ModelFormatException(file + ": entry " + name + " is encrypted");
            if (method != STORED && method != DEFLATED) throw new ModelFormatException(file + ": entry " + name + " uses compression method " + method + " (only STORED and DEFLATE are read)");
            if (method == STORED && csize != usize) throw new ModelFormatException(file + ": STORED entry " + name + " has different compressed and uncompressed sizes");
            if (csize < 0 || usize < 0 || lho < 0) throw new ModelFormatException(file + ": entry " + name + " has a size or offset beyond 2^63");
            if (entries.containsKey(name))
                throw new ModelFormatException(file + ": duplicate zip entry " + name + " (torch reads the first copy, other readers the last; refused)");
            entries.put(name, new Entry(name, method, flags, crc, csize, usize, lho, -1));
            p += 46 + nameLen + extraLen + commentLen;
        }
        String first = entries.keySet().iterator().next();
        int slash = first.indexOf('/');
        if (slash <= 0) throw new ModelFormatException(file + ": file in archive is not in a subdirectory: " + first);
        String prefix = first.substring(0, slash);
        for (String n : entries.keySet())
            if (!n.startsWith(prefix + "/")) throw new ModelFormatException(file + ": entry " + n + " is outside the archive folder " + prefix + "/");
        return new ZipArchive(ch, file, limits, locate(ch, file, entries, cdOffset), prefix);
    }

    private static long z64(ByteBuffer cd, int q, int end, String file, String name) throws ModelFormatException {
        if (q + 8 > end) throw new ModelFormatException(file + ": truncated zip64 extra field in entry " + name);
        return cd.getLong(q);
    }

    private static String entryName(String file, byte[] b) throws ModelFormatException {
        String name;
        try {
            name = PickleStrings.decodeUtf8(b);
        } catch (ModelFormatException e) {
            throw new ModelFormatException(file + ": zip entry name is not valid UTF-8");
        }
        if (name.isEmpty() || name.startsWith("/") || name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0 || Arrays.asList(name.split("/")).contains(".."))
            throw new ModelFormatException(file + ": unsafe zip entry name '" + name + "'");
        return name;
    }

    /** Reads each local header, checks it against the directory, and refuses overlapping entries. */
    private static Map<String, Entry> locate(FileChannel ch, String file, Map<String, Entry> cdEntries, long cdOffset) throws IOException {
        Map<String, Entry> out = new LinkedHashMap<>();
        for (Entry en : cdEntries.values()) {
            if (en.headerOffset() > cdOffset - 30) throw new ModelFormatException(file + ": entry " + en.name() + " starts outside the file data");
            ByteBuffer h = read(ch, en.headerOffset(), 30);
            if (h.getInt(0) != LOCAL) throw new ModelFormatException(file + ": entry " + en.name() + " has no local header at offset " + en.headerOffset());
            int method = h.getShort(8) & 0xFFFF, nameLen = h.getShort(26) & 0xFFFF, extraLen = h.getShort(28) & 0xFFFF;
            byte[] localName = new byte[nameLen];
            read(ch, en.headerOffset() + 30, nameLen).get(0, localName);
            if (!Arrays.equals(localName, PickleStrings.encodeUtf8(en.name())))
                throw new ModelFormatException(file + ": local header name of entry " + en.name() + " differs from the central directory");
            if (method != en.method()) throw new ModelFormatException(file + ": entry " + en.name() + " has different methods in its local header and the directory");
            long data = en.headerOffset() + 30 + nameLen + extraLen;
            if (data > cdOffset || en.compressedSize() > cdOffset - data)
                throw new ModelFormatException(file + ": data of entry " + en.name() + " runs past the end of the file data");
            out.put(en.name(), new Entry(en.name(), en.method(), en.flags(), en.crc(), en.compressedSize(), en.size(), en.headerOffset(), data));
        }
        List<Entry> byOffset = new ArrayList<>(out.values());
        byOffset.sort(Comparator.comparingLong(Entry::headerOffset));
        for (int i = 0; i + 1 < byOffset.size(); i++) {
            Entry a = byOffset.get(i), b = byOffset.get(i + 1);
            if (a.dataOffset() + a.compressedSize() > b.headerOffset())
                throw new ModelFormatException(file + ": zip entries " + a.name() + " and " + b.name() + " overlap");
        }
        return out;
    }

    /** A small record read whole (data.pkl, version, byteorder), at most {@code max} bytes. */
    byte[] readAll(Entry e, int max) throws IOException {
        if (e.size() > max) throw new ModelFormatException(file + ": entry " + e.name() + " has " + e.size() + " bytes, more than the limit of " + max);
        byte[] out = new byte[(int) e.size()];
        int[] at = {0};
        stream(e, chunk -> {
            int n = chunk.remaining();
            chunk.get(out, at[0], n);
            at[0] += n;
        });
        return out;
    }

    interface ChunkSink {
        void accept(ByteBuffer chunk) throws IOException;
    }

    /** Streams an entry's uncompressed bytes in chunks; exactly {@code e.size()} bytes or an error. */
    void stream(Entry e, ChunkSink sink) throws IOException {
        CRC32 crc = new CRC32();
        if (e.method() == STORED) {
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK, Math.max(e.size(), 1)));
            long done = 0;
            while (done < e.size()) {
                int n = (int) Math.min(buf.capacity(), e.size() - done);
                buf.clear().limit(n);
                readFully(ch, buf, e.dataOffset() + done);
                buf.flip();
                crc.update(buf.duplicate());
                sink.accept(buf);
                done += n;
            }
        } else {
            inflate(e, sink, crc);
        }
        // torch never checks CRCs and 2.x can write zeros; a non-zero one must match
        if (e.crc() != 0 && crc.getValue() != e.crc())
            throw new ModelFormatException(file + ": entry " + e.name() + " is corrupt (CRC-32 mismatch)");
    }

    private void inflate(Entry e, ChunkSink sink, CRC32 crc) throws IOException {
        if (e.size() > (long) limits.maxCompressionRatio() * e.compressedSize() + 4096)
            throw new ModelFormatException(file + ": entry " + e.name() + " expands " + e.compressedSize() + " bytes to " + e.size()
                    + " (ratio over " + limits.maxCompressionRatio() + "): refused as a zip bomb");
        Inflater inf = new Inflater(true);
        try {
            ByteBuffer in = ByteBuffer.allocate((int) Math.min(CHUNK, Math.max(e.compressedSize(), 1)));
            ByteBuffer out = ByteBuffer.allocate(CHUNK);
            long readIn = 0, produced = 0;
            while (!inf.finished()) {
                if (inf.needsInput()) {
                    if (readIn >= e.compressedSize()) throw new ModelFormatException(file + ": entry " + e.name() + " has truncated DEFLATE data");
                    int n = (int) Math.min(in.capacity(), e.compressedSize() - readIn);
                    in.clear().limit(n);
                    readFully(ch, in, e.dataOffset() + readIn);
                    in.flip();
                    readIn += n;
                    inf.setInput(in);
                }
                out.clear();
                int n = inf.inflate(out);
                if (n == 0 && inf.needsDictionary()) throw new ModelFormatException(file + ": entry " + e.name() + " needs a preset dictionary");
                produced += n;
                if (produced > e.size()) throw new ModelFormatException(file + ": entry " + e.name() + " inflates to more than its declared " + e.size() + " bytes");
                out.flip();
                crc.update(out.duplicate());
                if (n > 0) sink.accept(out);
            }
            if (produced != e.size()) throw new ModelFormatException(file + ": entry " + e.name() + " inflates to " + produced + " bytes, not the declared " + e.size());
        } catch (DataFormatException ex) {
            throw new ModelFormatException(file + ": entry " + e.name() + " has corrupt DEFLATE data (" + ex.getMessage() + ")");
        } finally {
            inf.end();
        }
    }

    static ByteBuffer read(FileChannel ch, long at, int len) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, b, at);
        return b.flip().order(ByteOrder.LITTLE_ENDIAN);
    }

    static void readFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
        long pos = at;
        while (b.hasRemaining()) {
            int r = ch.read(b, pos);
            if (r < 0) throw new EOFException("file ends at offset " + pos);
            pos += r;
        }
    }
}
