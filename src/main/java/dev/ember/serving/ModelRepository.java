package dev.ember.serving;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The model repository on disk, in Triton's layout: {@code <root>/<model>/config.json} and numbered version
 * directories {@code <root>/<model>/<n>/}. Only reads; it knows nothing of what is loaded.
 */
public final class ModelRepository {
    /** Names become path segments, so they are restricted to what cannot escape the repository. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.\\-]*");

    private final Path root;

    public ModelRepository(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() { return root; }

    /** Model directories, sorted; hidden and oddly named entries are skipped. */
    public TreeSet<String> modelNames() {
        TreeSet<String> out = new TreeSet<>();
        if (!Files.isDirectory(root)) return out;
        try (Stream<Path> s = Files.list(root)) {
            s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).filter(n -> NAME.matcher(n).matches()).forEach(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the model repository " + root, e);
        }
        return out;
    }

    public boolean contains(String model) {
        return NAME.matcher(model).matches() && Files.isDirectory(root.resolve(model));
    }

    public static void checkName(String model) {
        if (model == null || !NAME.matcher(model).matches())
            throw ServingException.invalid("invalid model name '" + model + "': use letters, digits, '_', '-' and '.', not starting with '.' or '-'");
    }

    public Path modelDir(String model) {
        checkName(model);
        return root.resolve(model);
    }

    public ModelConfig readConfig(String model) {
        return ModelConfigReader.read(modelDir(model).resolve("config.json"), model);
    }

    /** Numbered version directories (positive integers), by version. */
    public TreeMap<Long, Path> versions(String model) {
        TreeMap<Long, Path> out = new TreeMap<>();
        try (Stream<Path> s = Files.list(modelDir(model))) {
            s.filter(Files::isDirectory).forEach(p -> {
                String n = p.getFileName().toString();
                if (n.matches("[1-9][0-9]{0,17}")) out.put(Long.parseLong(n), p);
            });
        } catch (IOException e) {
            throw ServingException.invalid("cannot list versions of model '" + model + "': " + e.getMessage());
        }
        return out;
    }

    /**
     * A digest of the names, sizes and modification times of every file under a directory (or of one
     * file), so a poll can tell a changed version or config from an unchanged one without reading them.
     */
    public static String fingerprint(Path path) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            if (Files.isRegularFile(path)) {
                add(md, path, path);
            } else if (Files.isDirectory(path)) {
                List<Path> files;
                try (Stream<Path> s = Files.walk(path)) {
                    files = s.filter(Files::isRegularFile).sorted().toList();
                }
                for (Path f : files) add(md, path, f);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            return "unreadable:" + e.getMessage();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void add(MessageDigest md, Path base, Path f) throws IOException {
        BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
        md.update((base.relativize(f) + "|" + a.size() + "|" + a.lastModifiedTime().toMillis() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
