package dev.ember.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Hostile and malformed pickles are refused with an error that names the problem, before any storage is allocated. */
class HostilePickleTest {
    @TempDir
    Path dir;

    static final Map<String, byte[]> NO_DATA = Map.of();

    private void refused(byte[] pkl, String... fragments) {
        refused(pkl, LoadLimits.DEFAULT, fragments);
    }

    private void refused(byte[] pkl, LoadLimits limits, String... fragments) {
        Path f = dir.resolve("f" + System.nanoTime() + ".pt");
        try {
            TestZip.torch(pkl, NO_DATA).write(f);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        var a = assertThatThrownBy(() -> TorchFiles.load(f, limits)).isInstanceOf(ModelFormatException.class);
        for (String s : fragments) a.hasMessageContaining(s);
    }

    @Test
    void codeExecutingGlobalsAreRefusedByName() {
        refused(PickleBytes.proto2().global("posix", "system").str("touch /tmp/x").op(0x85).reduce().stop().bytes(),
                "Unsupported global: GLOBAL posix.system is not allowed");
        refused(PickleBytes.proto2().global("__builtin__", "eval").str("1").op(0x85).reduce().stop().bytes(), "GLOBAL builtins.eval");
        refused(PickleBytes.proto2().global("builtins", "getattr").stop().bytes(), "GLOBAL builtins.getattr");
        refused(PickleBytes.proto2().global("torch._tensor", "_rebuild_from_type_v2").stop().bytes(), "GLOBAL torch._tensor._rebuild_from_type_v2");
        refused(PickleBytes.proto2().global("torch", "FloatStorage").stop().bytes(), "<class torch.FloatStorage>", "not a tensor or plain data");
        refused(PickleBytes.proto2().global("collections", "OrderedDict").stop().bytes(), "<function collections.OrderedDict>");
    }

    @Test
    void opcodesOutsideTheWeightsOnlySetAreRefused() {
        refused(PickleBytes.proto2().op(0xFF).bytes(), "Unsupported operand 255");
        refused(PickleBytes.proto2().op(0x93).bytes(), "Unsupported operand 147 (STACK_GLOBAL)");
        refused(PickleBytes.proto2().op(0x95).bytes(), "FRAME");
        refused(PickleBytes.proto2().op(0x81).bytes(), "NEWOBJ");
        refused(PickleBytes.proto2().op('i').bytes(), "INST");
        refused(PickleBytes.proto2().op('0').bytes(), "POP");
        refused(new PickleBytes().op(0x80).raw(4).bytes(), "pickle protocol 4 is not supported");
        refused(new PickleBytes().op('N').stop().bytes(), "not a protocol 2 pickle");
    }

    @Test
    void malformedPicklesAreRefusedWithTheOffset() {
        refused(PickleBytes.proto2().op(0x86).stop().bytes(), "at offset 2", "TUPLE2 needs 2 values");
        refused(PickleBytes.proto2().get(7).stop().bytes(), "memo GET of index 7 that was never PUT");
        refused(PickleBytes.proto2().mark().op('N').stop().bytes(), "STOP with an unclosed MARK");
        refused(PickleBytes.proto2().op('N').op('N').stop().bytes(), "STOP with 2 values");
        refused(PickleBytes.proto2().op('t').bytes(), "TUPLE without a MARK");
        refused(PickleBytes.proto2().op('N').stop().raw(1, 2, 3).bytes(), "3 bytes after STOP");
        refused(PickleBytes.proto2().op('X').le32(5).raw('a').bytes(), "truncated");
        refused(PickleBytes.proto2().op('N').bytes(), "truncated");
        refused(PickleBytes.proto2().op('X').le32(2).raw(0xC3, 0x28).stop().bytes(), "not valid UTF-8");
        refused(PickleBytes.proto2().op('c').raw('o', 's', ' ', 'x', '\n').bytes(), "GLOBAL name is not a short printable identifier");
    }

    @Test
    void containersAreUsedOnlyAsPythonAllows() {
        refused(PickleBytes.proto2().emptyList().str("k").str("v").setitem().stop().bytes(), "Can only SETITEM for dict");
        refused(PickleBytes.proto2().emptyDict().str("v").op('a').stop().bytes(), "Can only APPEND to lists");
        refused(PickleBytes.proto2().emptyDict().emptyList().str("v").setitem().stop().bytes(), "unhashable");
        refused(PickleBytes.proto2().emptyDict().emptyDict().op('b').stop().bytes(), "Can only BUILD an OrderedDict");
        refused(PickleBytes.proto2().global("torch", "float32").emptyTuple().reduce().stop().bytes(), "unrecognized function torch.float32");
        refused(PickleBytes.proto2().global("collections", "OrderedDict").str("x").op(0x85).reduce().stop().bytes(), "only OrderedDict() with no arguments");
    }

    @Test
    void recursiveAndDeepStructuresAreRefused() {
        refused(PickleBytes.proto2().emptyList().put(0).get(0).op('a').stop().bytes(), "contains itself");
        PickleBytes deep = PickleBytes.proto2().op('N');
        for (int i = 0; i < 150; i++) deep.op(0x85); // TUPLE1: nests in place, the stack never grows
        refused(deep.stop().bytes(), "deeper than 100 levels");
        PickleBytes wide = PickleBytes.proto2().mark();
        for (int i = 0; i < 200; i++) wide.op('N');
        refused(wide.tuple().stop().bytes(), LoadLimits.DEFAULT.withMaxPickleStack(100), "stack grew beyond 100");
        PickleBytes memo = PickleBytes.proto2().op('N');
        for (int i = 0; i < 50; i++) memo.put(i);
        refused(memo.stop().bytes(), LoadLimits.DEFAULT.withMaxMemo(10), "memo grew beyond 10");
        PickleBytes marks = PickleBytes.proto2();
        for (int i = 0; i < 2000; i++) marks.mark();
        refused(marks.bytes(), "nested MARKs");
    }

    @Test
    void oversizedPicklesAndStringsAreRefusedBeforeAllocation() {
        refused(PickleBytes.proto2().str("x".repeat(100)).stop().bytes(), LoadLimits.DEFAULT.withMaxPickleBytes(50), "more than the limit of 50");
        refused(PickleBytes.proto2().op('X').le32(0xFFFFFFF0).bytes(), "exceeds the limit");
    }

    @Test
    void rebuildArgumentsAreChecked() {
        refused(PickleBytes.proto2().global("torch._utils", "_rebuild_tensor_v2").ints(1, 2).reduce().stop().bytes(), "takes 6 to 7 arguments, got 2");
        byte[] hooks = PickleBytes.proto2().global("torch._utils", "_rebuild_tensor_v2").mark()
                .mark().str("storage").global("torch", "FloatStorage").str("0").str("cpu").integer(1).tuple().op('Q')
                .integer(0).emptyTuple().emptyTuple().op(0x89).emptyDict().str("h").integer(1).setitem().tuple().reduce().stop().bytes();
        refused(hooks, "backward_hooks must be an empty OrderedDict");
        byte[] pid = PickleBytes.proto2().mark().str("module").str("x").tuple().op('Q').stop().bytes();
        refused(pid, "Only persistent_load of storage is allowed");
        byte[] key = PickleBytes.stateDict("FloatStorage", "../../etc/passwd", 1, 0, new long[0], new long[0]);
        refused(key, "storage key must be a decimal string");
        byte[] loc = PickleBytes.proto2().mark().str("storage").global("torch", "FloatStorage").str("0").str("cpu\nx").integer(1).tuple().op('Q').stop().bytes();
        refused(loc, "storage location must be a device string");
    }
}
