package dev.ember.serving;

import java.util.NavigableSet;
import java.util.SortedSet;
import java.util.TreeSet;

/** Which of a model's numbered version directories are served (Triton's version_policy). */
public sealed interface VersionPolicy {
    /** The versions to serve out of those present on disk. */
    SortedSet<Long> select(NavigableSet<Long> available);

    /** The {@code n} numerically greatest versions (Triton's default is latest with n = 1). */
    record Latest(int numVersions) implements VersionPolicy {
        public Latest {
            if (numVersions < 1) throw ServingException.invalid("version_policy latest.num_versions must be at least 1, got " + numVersions);
        }

        @Override
        public SortedSet<Long> select(NavigableSet<Long> available) {
            TreeSet<Long> out = new TreeSet<>();
            for (Long v : available.descendingSet()) {
                if (out.size() == numVersions) break;
                out.add(v);
            }
            return out;
        }
    }

    record All() implements VersionPolicy {
        @Override
        public SortedSet<Long> select(NavigableSet<Long> available) { return new TreeSet<>(available); }
    }

    /** Exactly these versions; those missing on disk are simply not served. */
    record Specific(SortedSet<Long> versions) implements VersionPolicy {
        public Specific {
            versions = new TreeSet<>(versions);
        }

        @Override
        public SortedSet<Long> select(NavigableSet<Long> available) {
            TreeSet<Long> out = new TreeSet<>(available);
            out.retainAll(versions);
            return out;
        }
    }
}
