package dev.ember.io;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Legacy-format (pre-1.6) files built by hand: {@code {'w': float32 tensor of n elements}}, optionally big-endian. */
final class LegacyFiles {
    private LegacyFiles() {}

    static byte[] file(boolean bigEndian, byte[] littleEndianFloats) {
        return file(bigEndian, littleEndianFloats, littleEndianFloats.length / 4);
    }

    static byte[] file(boolean bigEndian, byte[] littleEndianFloats, long writtenCount) {
        int n = littleEndianFloats.length / 4;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x80, 2, (byte) 0x8a, 10, 0x6c, (byte) 0xfc, (byte) 0x9c, 0x46, (byte) 0xf9, 0x20, 0x6a, (byte) 0xa8, 0x50, 0x19, '.'});
        out.writeBytes(PickleBytes.proto2().op('M').raw(0xe9, 0x03).stop().bytes());
        out.writeBytes(PickleBytes.proto2().emptyDict().str("protocol_version").op('M').raw(0xe9, 0x03).setitem()
                .str("little_endian").op(bigEndian ? 0x89 : 0x88).setitem().stop().bytes());
        PickleBytes main = PickleBytes.proto2().emptyDict().str("w").global("torch._utils", "_rebuild_tensor_v2").mark()
                .mark().str("storage").global("torch", "FloatStorage").str("94000").str("cpu").integer(n).op('N').tuple().op('Q')
                .integer(0).ints(n).ints(1).op(0x89).global("collections", "OrderedDict").emptyTuple().reduce().tuple().reduce().setitem().stop();
        out.writeBytes(main.bytes());
        out.writeBytes(PickleBytes.proto2().emptyList().str("94000").op('a').stop().bytes());
        ByteBuffer count = ByteBuffer.allocate(8).order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN).putLong(writtenCount);
        out.writeBytes(count.array());
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 4; k++) out.write(littleEndianFloats[4 * i + (bigEndian ? 3 - k : k)]);
        }
        return out.toByteArray();
    }
}
