package dev.ember.io;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Sequential reads from a byte array or a region of a file, through a small buffer, for the pickle VM.
 * Callers check lengths against their limits before asking for that many bytes.
 */
final class ByteSource {
    private final FileChannel channel;
    private final long end;
    private byte[] buf;
    private int bufPos, bufLen;
    private long bufStart;

    private ByteSource(FileChannel channel, long start, long end, byte[] buf, int len) {
        this.channel = channel;
        this.end = end;
        this.buf = buf;
        this.bufLen = len;
        this.bufStart = start;
    }

    static ByteSource of(byte[] data) { return new ByteSource(null, 0, data.length, data, data.length); }

    /** Reads {@code [start, end)} of the file. */
    static ByteSource of(FileChannel channel, long start, long end) { return new ByteSource(channel, start, end, new byte[0], 0); }

    long position() { return bufStart + bufPos; }

    long remaining() { return end - position(); }

    int u8() throws IOException {
        if (bufPos == bufLen) fill();
        return buf[bufPos++] & 0xFF;
    }

    byte[] bytes(int n) throws IOException {
        if (n > remaining()) throw new EOFException("wanted " + n + " bytes, " + remaining() + " left");
        byte[] out = new byte[n];
        int done = 0;
        while (done < n) {
            if (bufPos == bufLen) fill();
            int k = Math.min(n - done, bufLen - bufPos);
            System.arraycopy(buf, bufPos, out, done, k);
            bufPos += k;
            done += k;
        }
        return out;
    }

    private void fill() throws IOException {
        long at = position();
        if (channel == null || at >= end) throw new EOFException("unexpected end of data at offset " + at);
        int want = (int) Math.min(1 << 16, end - at);
        if (buf.length < want) buf = new byte[1 << 16];
        ByteBuffer bb = ByteBuffer.wrap(buf, 0, want);
        while (bb.hasRemaining()) {
            int r = channel.read(bb, at + bb.position());
            if (r < 0) throw new EOFException("file ended at offset " + (at + bb.position()));
        }
        bufStart = at;
        bufPos = 0;
        bufLen = want;
    }
}
