package dev.ember.io;

/**
 * Resource caps for reading untrusted model files. Every length in a file is checked against these before
 * anything of that size is allocated, so a hostile file fails fast with a {@link ModelFormatException}
 * instead of exhausting memory or the stack.
 *
 * @param maxFileBytes       whole file size
 * @param maxPickleBytes     one pickle (data.pkl, or one of the legacy format's pickles)
 * @param maxPickleStack     values on the pickle VM's stacks, all MARK levels together
 * @param maxMarkDepth       open MARKs at once
 * @param maxMemo            memo entries
 * @param maxDepth           nesting depth of the loaded value (containers in containers)
 * @param maxStringBytes     one pickled string
 * @param maxZipEntries      entries in a zip archive
 * @param maxCompressionRatio uncompressed/compressed size of a DEFLATE entry (torch writes STORED entries;
 *                           zip bombs rely on huge ratios)
 */
public record LoadLimits(long maxFileBytes, int maxPickleBytes, int maxPickleStack, int maxMarkDepth, int maxMemo, int maxDepth,
                         int maxStringBytes, int maxZipEntries, int maxCompressionRatio) {

    /** Generous for real checkpoints (tens of GB of weights, optimizer state for thousands of parameters). */
    public static final LoadLimits DEFAULT = new LoadLimits(64L << 30, 256 << 20, 4 << 20, 1_000, 4 << 20, 100, 64 << 20, 100_000, 100);

    public LoadLimits {
        if (maxFileBytes <= 0 || maxPickleBytes <= 0 || maxPickleStack <= 0 || maxMarkDepth <= 0 || maxMemo <= 0 || maxDepth <= 0
                || maxStringBytes <= 0 || maxZipEntries <= 0 || maxCompressionRatio <= 0)
            throw new IllegalArgumentException("load limits must be positive: " + this);
    }

    public LoadLimits withMaxFileBytes(long v) {
        return new LoadLimits(v, maxPickleBytes, maxPickleStack, maxMarkDepth, maxMemo, maxDepth, maxStringBytes, maxZipEntries, maxCompressionRatio);
    }

    public LoadLimits withMaxPickleBytes(int v) {
        return new LoadLimits(maxFileBytes, v, maxPickleStack, maxMarkDepth, maxMemo, maxDepth, maxStringBytes, maxZipEntries, maxCompressionRatio);
    }

    public LoadLimits withMaxDepth(int v) {
        return new LoadLimits(maxFileBytes, maxPickleBytes, maxPickleStack, maxMarkDepth, maxMemo, v, maxStringBytes, maxZipEntries, maxCompressionRatio);
    }

    public LoadLimits withMaxPickleStack(int v) {
        return new LoadLimits(maxFileBytes, maxPickleBytes, v, maxMarkDepth, maxMemo, maxDepth, maxStringBytes, maxZipEntries, maxCompressionRatio);
    }

    public LoadLimits withMaxMemo(int v) {
        return new LoadLimits(maxFileBytes, maxPickleBytes, maxPickleStack, maxMarkDepth, v, maxDepth, maxStringBytes, maxZipEntries, maxCompressionRatio);
    }
}
