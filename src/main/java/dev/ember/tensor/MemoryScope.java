package dev.ember.tensor;

import dev.ember.tensor.spi.Storage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Frees the memory of the tensors made inside it when it closes, so the next ones reuse it while it is still in
 * the cache. PyTorch frees a tensor the moment its last reference drops and its allocator hands the block to the
 * next tensor; the JVM only learns a tensor is dead at its next collection, so a loop of elementwise ops writes
 * into fresh, cold memory every time. A scope gives Java code PyTorch's behaviour where it matters, the way
 * try-with-resources does for files:
 *
 * <pre>{@code
 * try (MemoryScope scope = MemoryScope.open()) {
 *     Tensor h = x.matmul(w).add(b).relu();
 *     return scope.keep(h.softmax(-1));      // everything else made inside is released here
 * }
 * }</pre>
 *
 * <p>Every storage created on this thread while the scope is the innermost open one belongs to it; closing the
 * scope releases them all except those {@linkplain #keep kept}, which pass to the enclosing scope (or, at the
 * outermost, back to the garbage collector). A released tensor, and every view of it, throws on any later use
 * rather than read memory that now belongs to another tensor; so keep whatever outlives the scope, including a
 * result stored elsewhere (a gradient, an optimizer's state, a module's buffer). A scope belongs to the thread
 * that opened it, and scopes close in the reverse order they opened.
 */
public final class MemoryScope implements AutoCloseable {
    private static final ThreadLocal<MemoryScope> CURRENT = new ThreadLocal<>();

    private final MemoryScope parent;
    private final Thread thread = Thread.currentThread();
    private final ArrayList<Storage> owned = new ArrayList<>();
    private final Set<Storage> kept = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean closed;

    private MemoryScope(MemoryScope parent) { this.parent = parent; }

    /** Opens a scope on this thread, nested in the one already open, if any. */
    public static MemoryScope open() {
        MemoryScope s = new MemoryScope(CURRENT.get());
        CURRENT.set(s);
        return s;
    }

    /**
     * Keeps {@code t}'s storage, and so {@code t} and every view of it, alive past this scope; returns {@code t}.
     * A tensor made outside the scope needs no keeping.
     */
    public <T extends Tensor> T keep(T t) {
        checkOpen();
        if (t.storage().isReleased()) throw Storage.releasedError();
        kept.add(t.storage());
        return t;
    }

    /** Releases every storage made inside this scope but the kept ones, which pass to the enclosing scope. */
    @Override
    public void close() {
        if (closed) return;
        checkThread();
        if (CURRENT.get() != this) throw new IllegalStateException("MemoryScope closed while a scope opened inside it is still open");
        closed = true;
        CURRENT.set(parent);
        for (Storage s : owned) {
            if (!kept.contains(s)) s.release();
            else if (parent != null) parent.owned.add(s);
        }
        owned.clear();
        kept.clear();
    }

    /**
     * Called by every {@link Storage} as it is created: the innermost scope open on this thread takes it. Storage
     * implementations call this; nothing else should.
     */
    public static void adopt(Storage s) {
        MemoryScope scope = CURRENT.get();
        if (scope != null) scope.owned.add(s);
    }

    private void checkOpen() {
        checkThread();
        if (closed) throw new IllegalStateException("this MemoryScope is closed");
    }

    private void checkThread() {
        if (Thread.currentThread() != thread)
            throw new IllegalStateException("a MemoryScope belongs to the thread that opened it (" + thread.getName() + ")");
    }
}
