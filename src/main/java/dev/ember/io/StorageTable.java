package dev.ember.io;

import dev.ember.tensor.DType;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The storages a pickle declares through its persistent ids, by record key. Nothing is allocated here: the
 * declarations are checked against the file (record sizes) only after the whole pickle has been accepted.
 * A key is one storage: every tensor naming it shares it, as in PyTorch.
 */
final class StorageTable {
    /** Ember's largest storage: one Java array. */
    static final long MAX_NUMEL = Integer.MAX_VALUE - 8;

    private final boolean legacy;
    private final Map<String, StorageDecl> decls = new LinkedHashMap<>();

    StorageTable(boolean legacy) {
        this.legacy = legacy;
    }

    Map<String, StorageDecl> decls() { return decls; }

    /**
     * {@code ('storage', storage_type, key, location, numel)} in the zip format; the legacy format adds a sixth
     * {@code view_metadata} that modern torch always writes as None.
     */
    StorageDecl persistentLoad(Object pid) throws ModelFormatException {
        if (!(pid instanceof PyTuple t) || t.isEmpty())
            throw new ModelFormatException("persistent_load id must be a tuple ('storage', ...), but got " + Values.describe(pid));
        if (!"storage".equals(t.get(0)))
            throw new ModelFormatException("Only persistent_load of storage is allowed, but got " + Values.describe(t.get(0)));
        int want = legacy ? 6 : 5;
        if (t.size() != want) throw new ModelFormatException("storage persistent id must have " + want + " fields, got " + t.size());
        if (!(t.get(1) instanceof PickleGlobal.StorageClass sc))
            throw new ModelFormatException("storage persistent id names " + Values.describe(t.get(1)) + " where a storage class belongs");
        if (!(t.get(2) instanceof String key) || key.isEmpty() || key.length() > 40 || !key.chars().allMatch(c -> c >= '0' && c <= '9'))
            throw new ModelFormatException("storage key must be a decimal string, got " + Values.describe(t.get(2)));
        if (!(t.get(3) instanceof String location) || !location.matches("[a-z_]{1,32}(:[0-9]{1,9})?"))
            throw new ModelFormatException("storage location must be a device string like 'cpu', got " + Values.describe(t.get(3)));
        if (!(t.get(4) instanceof Long numel) || numel < 0)
            throw new ModelFormatException("storage '" + key + "' size must be a non-negative int, got " + Values.describe(t.get(4)));
        if (legacy && t.get(5) != null)
            throw new ModelFormatException("storage '" + key + "' has view metadata (a pre-0.4 torch file); such files are not supported");
        if (numel > (sc.dtype() == null ? MAX_NUMEL * 8 : MAX_NUMEL))
            throw new ModelFormatException("storage '" + key + "' declares " + numel + " elements, more than Ember's largest storage (" + MAX_NUMEL + ")");
        StorageDecl d = new StorageDecl(key, sc.dtype(), numel, location);
        StorageDecl old = decls.get(key);
        if (old == null) {
            decls.put(key, d);
            return d;
        }
        if (old.equals(d)) return old;
        if (d.dtype() == null && old.dtype() != null && old.nbytes() == d.numel()) return d;
        throw new ModelFormatException("storage '" + key + "' is declared twice with different types or sizes (" + describe(old) + " and "
                + describe(d) + "); torch never writes that (\"Cannot save multiple tensors or storages that view the same data as different types\")");
    }

    /** Gives an untyped storage ({@code _rebuild_tensor_v3}) its dtype; the byte count must be whole elements. */
    StorageDecl typed(StorageDecl s, DType dtype) throws ModelFormatException {
        StorageDecl cur = decls.get(s.key());
        if (cur.dtype() != null) {
            if (cur.dtype() != dtype)
                throw new ModelFormatException("storage '" + s.key() + "' is viewed as both " + cur.dtype() + " and " + dtype);
            return cur;
        }
        if (cur.numel() % dtype.itemSize() != 0)
            throw new ModelFormatException("storage '" + s.key() + "' has " + cur.numel() + " bytes, not a whole number of " + dtype + " elements");
        long n = cur.numel() / dtype.itemSize();
        if (n > MAX_NUMEL) throw new ModelFormatException("storage '" + s.key() + "' has " + n + " elements, more than Ember's largest storage (" + MAX_NUMEL + ")");
        StorageDecl t = new StorageDecl(cur.key(), dtype, n, cur.location());
        decls.put(cur.key(), t);
        return t;
    }

    /** Every storage must have a type once the pickle is done (an untyped storage saved on its own is not a tensor). */
    void checkAllTyped() throws ModelFormatException {
        for (StorageDecl d : decls.values())
            if (d.dtype() == null) throw new ModelFormatException("storage '" + d.key() + "' is an untyped storage that no tensor uses; Ember loads tensors only");
    }

    private static String describe(StorageDecl d) {
        return (d.dtype() == null ? "untyped" : d.dtype().toString()) + " x " + d.numel();
    }
}
