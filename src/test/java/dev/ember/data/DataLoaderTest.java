package dev.ember.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ember.tensor.Generator;
import dev.ember.tensor.Tensor;
import dev.ember.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TensorDataset and DataLoader: batching and drop_last as PyTorch 1.13 (fx_optim.py "loaders"), seeded shuffling. */
class DataLoaderTest {

    static TensorDataset numbered(int n) {
        return new TensorDataset(Tensor.arange(n), Tensor.arange(n).mul(10L));
    }

    /** The first field of every batch of one pass. */
    static List<List<Long>> pass(DataLoader<List<Tensor>> loader) {
        List<List<Long>> out = new ArrayList<>();
        for (List<Tensor> b : loader) out.add(Arrays.stream(b.get(0).toLongArray()).boxed().toList());
        return out;
    }

    @Test
    void batchingMatchesPyTorch() {
        for (JsonNode c : Fixtures.metadata("optim", "trajectories").get("loaders")) {
            var loader = DataLoader.of(numbered(c.get("n").asInt())).batchSize(c.get("batch_size").asInt())
                    .dropLast(c.get("drop_last").asBoolean()).build();
            String what = c.toString();
            assertEquals(c.get("len").asInt(), loader.size(), what);
            List<List<Long>> expected = new ArrayList<>();
            for (JsonNode b : c.get("batches")) {
                List<Long> ids = new ArrayList<>();
                for (JsonNode i : b) ids.add(i.asLong());
                expected.add(ids);
            }
            assertEquals(expected, pass(loader), what);
        }
    }

    @Test
    void batchesStackEveryField() {
        Tensor x = Tensor.arange(0.0, 12.0, 1.0).reshape(6, 2), y = Tensor.arange(6);
        var loader = DataLoader.of(new TensorDataset(x, y)).batchSize(4).build();
        var it = loader.iterator();
        List<Tensor> first = it.next();
        assertArrayEquals(new int[] {4, 2}, first.get(0).shape());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5, 6, 7}, first.get(0).toFloatArray());
        assertArrayEquals(new long[] {0, 1, 2, 3}, first.get(1).toLongArray());
        List<Tensor> last = it.next();
        assertArrayEquals(new int[] {2, 2}, last.get(0).shape());
        assertEquals(false, it.hasNext());
    }

    @Test
    void seededShufflingRepeatsAndReshufflesEachPass() {
        var a = DataLoader.of(numbered(20)).batchSize(6).shuffle(true).generator(new Generator(42)).build();
        var b = DataLoader.of(numbered(20)).batchSize(6).shuffle(true).generator(new Generator(42)).build();
        List<List<Long>> a1 = pass(a), a2 = pass(a);
        assertEquals(a1, pass(b), "the same seed gives the same batches");
        assertEquals(a2, pass(b), "and the same second epoch");
        assertNotEquals(a1, a2, "each pass draws a new permutation");
        for (List<List<Long>> epoch : List.of(a1, a2)) {
            List<Long> all = epoch.stream().flatMap(List::stream).sorted().toList();
            assertEquals(java.util.stream.LongStream.range(0, 20).boxed().toList(), all, "every sample exactly once");
        }
        var other = DataLoader.of(numbered(20)).batchSize(6).shuffle(true).generator(new Generator(7)).build();
        assertNotEquals(a1, pass(other));
    }

    @Test
    void shufflingWithoutAGeneratorUsesTheDefaultOne() {
        var loader = DataLoader.of(numbered(12)).batchSize(5).shuffle(true).build();
        Tensor.manualSeed(3);
        List<List<Long>> first = pass(loader);
        Tensor.manualSeed(3);
        assertEquals(first, pass(loader));
    }

    @Test
    void shuffledDropLastKeepsOnlyFullBatches() {
        var loader = DataLoader.of(numbered(10)).batchSize(4).shuffle(true).dropLast(true).generator(new Generator(1)).build();
        List<List<Long>> batches = pass(loader);
        assertEquals(2, batches.size());
        assertTrue(batches.stream().allMatch(b -> b.size() == 4));
    }

    @Test
    void tensorDatasetFastPathEqualsStackingSamples() {
        TensorDataset td = new TensorDataset(Tensor.randn(new Generator(5), 9, 3), Tensor.arange(9));
        Dataset<List<Tensor>> generic = new Dataset<>() {
            @Override
            public List<Tensor> get(int index) { return td.get(index); }

            @Override
            public int size() { return td.size(); }
        };
        var fast = DataLoader.of(td).batchSize(4).shuffle(true).generator(new Generator(9)).build().iterator();
        var slow = DataLoader.of(generic).batchSize(4).shuffle(true).generator(new Generator(9)).build().iterator();
        while (fast.hasNext()) {
            List<Tensor> f = fast.next(), s = slow.next();
            assertTrue(f.get(0).equal(s.get(0)) && f.get(1).equal(s.get(1)));
        }
        assertEquals(false, slow.hasNext());
    }

    @Test
    void customCollate() {
        Dataset<Integer> squares = new Dataset<>() {
            @Override
            public Integer get(int index) { return index * index; }

            @Override
            public int size() { return 5; }
        };
        var loader = DataLoader.of(squares, (List<Integer> xs) -> xs.stream().mapToInt(Integer::intValue).sum()).batchSize(2).build();
        List<Integer> sums = new ArrayList<>();
        for (int s : loader) sums.add(s);
        assertEquals(List.of(1, 13, 16), sums);
    }

    @Test
    void badArgumentsAreRejectedWithPyTorchsTexts() {
        var e = assertThrows(IllegalArgumentException.class, () -> DataLoader.of(numbered(3)).batchSize(0));
        assertEquals("batch_size should be a positive integer value, but got batch_size=0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new TensorDataset(Tensor.zeros(3), Tensor.zeros(4)));
        assertEquals("Size mismatch between tensors", e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> numbered(3).get(3));
        var it = DataLoader.of(numbered(1)).build().iterator();
        it.next();
        assertThrows(java.util.NoSuchElementException.class, it::next);
    }
}
