package dev.ember.backend.cpu;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.jar.JarEntry;

/**
 * Copies native libraries shipped as class-path resources (the bytedeco OpenBLAS jar) into a per-user cache
 * folder, so that {@code dlopen} can map them. The folder is named by a hash of the libraries' contents and is
 * filled under a temporary name and then renamed, so concurrent JVMs never see half-written files and a new
 * library version never reuses an old folder.
 */
final class NativeLibraries {
    private NativeLibraries() {}

    /**
     * Extracts {@code names} from the resource folder {@code resourceDir} (e.g. {@code org/bytedeco/openblas/linux-x86_64})
     * and returns the cache folder holding them.
     */
    static Path extract(String resourceDir, List<String> names) throws IOException {
        ClassLoader cl = NativeLibraries.class.getClassLoader();
        URL[] urls = new URL[names.size()];
        for (int i = 0; i < urls.length; i++) {
            urls[i] = cl.getResource(resourceDir + "/" + names.get(i));
            if (urls[i] == null) throw new IOException("resource " + resourceDir + "/" + names.get(i) + " is not on the class path");
        }
        Path root = cacheRoot();
        Path dir = root.resolve(contentKey(names, urls));
        if (complete(dir, names)) return dir;
        Files.createDirectories(root);
        Path tmp = Files.createTempDirectory(root, "extract-");
        try {
            for (int i = 0; i < urls.length; i++) {
                try (InputStream in = urls[i].openStream()) {
                    Files.copy(in, tmp.resolve(names.get(i)), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException | AtomicMoveNotSupportedException e) {
                // another JVM finished first: its copy has the same content
                if (!complete(dir, names)) throw e;
            }
        } finally {
            deleteTree(tmp);
        }
        return dir;
    }

    /** {@code $XDG_CACHE_HOME/ember/native}, else {@code ~/.cache/ember/native}; {@code ember.native.cache} overrides. */
    static Path cacheRoot() {
        String override = System.getProperty("ember.native.cache");
        if (override != null && !override.isBlank()) return Path.of(override);
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("ember").resolve("native");
    }

    private static boolean complete(Path dir, List<String> names) {
        for (String n : names) if (!Files.isRegularFile(dir.resolve(n))) return false;
        return true;
    }

    /**
     * A hash of the libraries' contents. Inside a jar, each entry's CRC-32 and size stand for its content, which
     * avoids inflating ~40 MB on every start; elsewhere (an exploded class path) the bytes themselves are hashed.
     */
    private static String contentKey(List<String> names, URL[] urls) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (int i = 0; i < urls.length; i++) {
            md.update(names.get(i).getBytes(StandardCharsets.UTF_8));
            URLConnection c = urls[i].openConnection();
            JarEntry entry = c instanceof JarURLConnection j ? j.getJarEntry() : null;
            if (entry != null && entry.getCrc() >= 0 && entry.getSize() >= 0) {
                md.update((entry.getCrc() + ":" + entry.getSize()).getBytes(StandardCharsets.UTF_8));
            } else {
                try (InputStream in = c.getInputStream()) {
                    byte[] buf = new byte[1 << 16];
                    for (int r; (r = in.read(buf)) > 0; ) md.update(buf, 0, r);
                }
            }
        }
        return HexFormat.of().formatHex(md.digest(), 0, 12);
    }

    private static void deleteTree(Path p) {
        if (!Files.exists(p)) return;
        try (var walk = Files.walk(p)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException ignored) {
            // a leftover temporary folder is harmless
        }
    }
}
