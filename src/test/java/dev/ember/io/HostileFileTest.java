package dev.ember.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Hostile .pt files: tensors that overflow or point outside their storage, records shorter or longer than their
 * storage, zip tricks (duplicates, bombs, overlaps, bad CRCs), truncation at every byte, and the files that only
 * PyTorch can make (an object whose pickle runs os.system), each refused with a clear error.
 */
class HostileFileTest {
    @TempDir
    Path dir;

    static byte[] floats(int n) {
        ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) b.putFloat(i);
        return b.array();
    }

    private Path write(TestZip z) throws Exception {
        return z.write(dir.resolve("f" + System.nanoTime() + ".pt"));
    }

    private void refused(TestZip z, String... fragments) throws Exception {
        Path f = write(z);
        var a = assertThatThrownBy(() -> TorchFiles.load(f)).isInstanceOf(ModelFormatException.class);
        for (String s : fragments) a.hasMessageContaining(s);
    }

    static TestZip tensorFile(String cls, long numel, long offset, long[] size, long[] stride, byte[] data) {
        return TestZip.torch(PickleBytes.stateDict(cls, "0", numel, offset, size, stride), TestZip.records("0", data));
    }

    @Test
    void aWellFormedHandMadeFileLoads() throws Exception {
        Map<?, ?> m = (Map<?, ?>) TorchFiles.load(write(tensorFile("FloatStorage", 6, 1, new long[] {2, 2}, new long[] {1, 2}, floats(6))));
        assertThat(((dev.ember.tensor.Tensor) m.get("w")).toFloatArray()).containsExactly(1, 3, 2, 4);
    }

    @Test
    void tensorsThatOverflowOrLeaveTheirStorageAreRefused() throws Exception {
        refused(tensorFile("FloatStorage", 4, 0, new long[] {1L << 40, 1L << 40}, new long[] {1, 1}, floats(4)), "numel: integer multiplication overflow");
        refused(tensorFile("FloatStorage", 4, 0, new long[] {4}, new long[] {1L << 62}, floats(4)), "Storage size calculation overflowed");
        refused(tensorFile("FloatStorage", 4, 0, new long[] {4}, new long[] {-1}, floats(4)), "sizes=[4] and strides=[-1]");
        refused(tensorFile("FloatStorage", 4, 0, new long[] {-2}, new long[] {1}, floats(4)), "overflowed");
        refused(tensorFile("FloatStorage", 4, -1, new long[] {4}, new long[] {1}, floats(4)), "invalid storage offset -1");
        refused(tensorFile("FloatStorage", 4, 0, new long[] {10}, new long[] {1}, floats(4)), "needs 10 elements but storage '0' has 4");
        refused(tensorFile("FloatStorage", 4, 2, new long[] {2, 2}, new long[] {2, 1}, floats(4)), "Trying to resize storage that is not resizable");
        refused(tensorFile("FloatStorage", 4, 5, new long[] {0}, new long[] {1}, floats(4)), "needs 5 elements");
        refused(tensorFile("FloatStorage", 1L << 40, 0, new long[] {4}, new long[] {1}, floats(4)), "more than Ember's largest storage");
    }

    @Test
    void storagesShorterOrLongerThanDeclaredAreRefused() throws Exception {
        refused(tensorFile("FloatStorage", 4, 0, new long[] {4}, new long[] {1}, floats(2)), "record data/0 has 8 bytes but its storage declares 4 elements");
        refused(tensorFile("FloatStorage", 4, 0, new long[] {4}, new long[] {1}, floats(5)), "has 20 bytes");
        refused(TestZip.torch(PickleBytes.stateDict("FloatStorage", "0", 1, 0, new long[0], new long[0]), Map.of()),
                "failed locating file data/0: file not found");
        byte[] twoTypes = PickleBytes.proto2().emptyDict().str("a").tensor("FloatStorage", "0", 2, 0, new long[] {2}, new long[] {1})
                .setitem().str("b").tensor("IntStorage", "0", 2, 0, new long[] {2}, new long[] {1}).setitem().stop().bytes();
        refused(TestZip.torch(twoTypes, TestZip.records("0", floats(2))), "declared twice with different types");
        refused(tensorFile("BoolStorage", 2, 0, new long[] {2}, new long[] {1}, new byte[] {1, 2}), "invalid bool value 2");
    }

    @Test
    void zipTricksAreRefused() throws Exception {
        byte[] pkl = PickleBytes.stateDict("FloatStorage", "0", 4, 0, new long[] {4}, new long[] {1});
        refused(TestZip.torch(pkl, TestZip.records("0", floats(4))).add("archive/data.pkl", PickleBytes.proto2().op('N').stop().bytes()),
                "duplicate zip entry archive/data.pkl");
        refused(new TestZip().add("data.pkl", pkl).add("version", "3".getBytes()), "file in archive is not in a subdirectory: data.pkl");
        refused(TestZip.torch(pkl, TestZip.records("0", floats(4))).add("other/x", new byte[1]), "outside the archive folder archive/");
        byte[] bad = floats(4);
        refused(TestZip.torch(pkl, Map.of()).add(new TestZip.Item("archive/data/0", bad, false, bad.length, 12345, 0)), "CRC-32 mismatch");
        refused(TestZip.torch(pkl, Map.of()).add(new TestZip.Item("archive/data/0", bad, false, bad.length, TestZip.crc(bad), 1)), "encrypted");
        refused(TestZip.torch(pkl, TestZip.records("0", floats(4))).add("archive/constants.pkl", new byte[1]), "TorchScript archive");
        byte[] version11 = "11".getBytes();
        refused(new TestZip().add("archive/data.pkl", pkl).add("archive/data/0", floats(4)).add("archive/version", version11), "unsupported file format version 11");
        refused(TestZip.torch(pkl, TestZip.records("0", floats(4))).add("archive/byteorder", "middle".getBytes()), "Unknown endianness type: middle");
        refused(new TestZip().add("archive/data.pkl", pkl).add("archive/data/0", floats(4)), "failed locating file version");
    }

    @Test
    void zipBombsAreRefusedBeforeInflating() throws Exception {
        int n = 50 << 20; // 50 MB of zeros deflates about a thousandfold
        byte[] zeros = new byte[n];
        byte[] pkl = PickleBytes.stateDict("ByteStorage", "0", n, 0, new long[] {n}, new long[] {1});
        refused(TestZip.torch(pkl, Map.of()).add(new TestZip.Item("archive/data/0", zeros, true, n, TestZip.crc(zeros), 0)), "refused as a zip bomb");
        // a DEFLATE entry that inflates to more than it declares
        byte[] data = floats(64);
        byte[] pkl2 = PickleBytes.stateDict("FloatStorage", "0", 32, 0, new long[] {32}, new long[] {1});
        refused(TestZip.torch(pkl2, Map.of()).add(new TestZip.Item("archive/data/0", data, true, 128, TestZip.crc(data), 0)), "inflates to more than");
    }

    @Test
    void ordinaryDeflatedEntriesLoad() throws Exception {
        byte[] data = floats(64);
        byte[] pkl = PickleBytes.stateDict("FloatStorage", "0", 64, 0, new long[] {64}, new long[] {1});
        Path f = write(TestZip.torch(pkl, Map.of()).add(new TestZip.Item("archive/data/0", data, true, data.length, TestZip.crc(data), 0)));
        assertThat(((dev.ember.tensor.Tensor) ((Map<?, ?>) TorchFiles.load(f)).get("w")).toFloatArray()[63]).isEqualTo(63f);
    }

    @Test
    void overlappingEntriesAreRefused() throws Exception {
        byte[] pkl = PickleBytes.stateDict("FloatStorage", "0", 4, 0, new long[] {4}, new long[] {1});
        byte[] zip = TestZip.torch(pkl, TestZip.records("0", floats(4))).bytes();
        // point the central-directory entry of data/0 at the local header of data.pkl's neighbour by growing its size
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        int cd = b.getInt(zip.length - 6);
        int second = cd + 46 + "archive/data.pkl".length();
        b.putInt(20, pkl.length + 40).putInt(24, pkl.length + 40); // local header of data.pkl
        b.putInt(cd + 20, pkl.length + 40).putInt(cd + 24, pkl.length + 40);
        assertThat(b.getInt(second)).isEqualTo(0x02014b50);
        Path f = Files.write(dir.resolve("overlap.pt"), zip);
        assertThatThrownBy(() -> TorchFiles.load(f)).isInstanceOf(ModelFormatException.class).hasMessageContaining("overlap");
    }

    @Test
    void filesOverTheSizeLimitAreRefused() throws Exception {
        Path f = write(tensorFile("FloatStorage", 4, 0, new long[] {4}, new long[] {1}, floats(4)));
        assertThatThrownBy(() -> TorchFiles.load(f, LoadLimits.DEFAULT.withMaxFileBytes(100))).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("exceeds the limit of 100");
    }

    /** Every prefix of a valid zip and of a valid legacy file is refused cleanly: no other exception, no hang. */
    @Test
    void truncationAtEveryByteIsRefused() throws Exception {
        byte[] zip = tensorFile("FloatStorage", 6, 0, new long[] {2, 3}, new long[] {3, 1}, floats(6)).bytes();
        byte[] legacy = LegacyFiles.file(false, floats(6));
        for (byte[] whole : new byte[][] {zip, legacy}) {
            assertThat(TorchFiles.load(Files.write(dir.resolve("whole.pt"), whole))).isInstanceOf(Map.class);
            for (int n = 0; n < whole.length; n++) {
                Path f = Files.write(dir.resolve("cut.pt"), Arrays.copyOf(whole, n));
                Throwable t = catchThrowable(() -> TorchFiles.load(f));
                assertThat(t).as("prefix of %d bytes", n).isInstanceOf(ModelFormatException.class);
            }
        }
    }

    @Test
    void legacyFilesAreCheckedToo() throws Exception {
        Map<?, ?> big = (Map<?, ?>) TorchFiles.load(Files.write(dir.resolve("big.pt"), LegacyFiles.file(true, floats(6))));
        assertThat(((dev.ember.tensor.Tensor) big.get("w")).toFloatArray()).containsExactly(0, 1, 2, 3, 4, 5);
        byte[] extra = Arrays.copyOf(LegacyFiles.file(false, floats(6)), LegacyFiles.file(false, floats(6)).length + 3);
        assertThatThrownBy(() -> TorchFiles.load(Files.write(dir.resolve("extra.pt"), extra))).hasMessageContaining("3 bytes after the last storage");
        byte[] shortCount = LegacyFiles.file(false, floats(6), 5);
        assertThatThrownBy(() -> TorchFiles.load(Files.write(dir.resolve("count.pt"), shortCount)))
                .hasMessageContaining("holds 5 elements but the pickle declares 6");
    }

    @Test
    void filesMadeByPyTorchToRunCodeAreRefused() throws Exception {
        PyTorch.run("hostile", dir.toString());
        for (String f : new String[] {"os_system.pt", "os_system_legacy.pt"})
            assertThatThrownBy(() -> TorchFiles.load(dir.resolve(f))).isInstanceOf(ModelFormatException.class)
                    .hasMessageContaining("GLOBAL posix.system is not allowed");
        assertThatThrownBy(() -> TorchFiles.load(dir.resolve("eval.pt"))).hasMessageContaining("GLOBAL builtins.eval is not allowed");
        assertThatThrownBy(() -> TorchFiles.load(dir.resolve("protocol4.pt"))).hasMessageContaining("pickle protocol 4 is not supported");
        assertThatThrownBy(() -> TorchFiles.load(dir.resolve("torchscript.pt"))).hasMessageContaining("TorchScript archive");
        assertThatThrownBy(() -> TorchFiles.load(dir.resolve("complex.pt"))).hasMessageContaining("complex or quantized");
        assertThat(dir.resolve("PWNED")).doesNotExist();
    }

    @Test
    void otherFilesAreNamedForWhatTheyAre() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.pt"), "hello, this is not a model");
        assertThatThrownBy(() -> TorchFiles.load(text)).hasMessageContaining("not a PyTorch (.pt/.pth) or safetensors file");
        Path preview = Files.write(dir.resolve("p.pt"), "PYTORCH1xxxxxxxx".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> TorchFiles.load(preview)).hasMessageContaining("PYTORCH1");
        Path empty = Files.write(dir.resolve("e.pt"), new byte[0]);
        assertThatThrownBy(() -> TorchFiles.load(empty)).isInstanceOf(ModelFormatException.class);
    }
}
