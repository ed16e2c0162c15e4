package dev.ember.model;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs src/test/resources/model/models.py (which exports models with tools/export_model.py) with the real PyTorch
 * at /usr/bin/python3 (torch 1.13; .ci/run installs python3-torch, so it is required, not optional).
 */
final class PyTorchModels {
    static final String PYTHON = "/usr/bin/python3";

    private PyTorchModels() {}

    static Path script() {
        try {
            return Path.of(PyTorchModels.class.getResource("/model/models.py").toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    /** The repository's tools/export_model.py (the test resources copy of models.py finds it relative to the source tree). */
    static Path exporter() { return Path.of("tools/export_model.py").toAbsolutePath(); }

    /** {@code models.py make dir cases...}; fails the test with Python's stderr if it exits non-zero. */
    static void make(Path dir, String... cases) {
        List<String> cmd = new ArrayList<>(List.of(PYTHON, script().toString(), "make", dir.toString()));
        cmd.addAll(List.of(cases));
        run(cmd);
    }

    static String run(List<String> cmd) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().put("PYTHONPATH", exporter().getParent().toString());
            Process p = pb.start();
            p.getOutputStream().close();
            byte[] err;
            byte[] out = p.getInputStream().readAllBytes();
            err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(600, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", cmd) + " timed out");
            }
            if (p.exitValue() != 0)
                throw new AssertionError(String.join(" ", cmd) + " failed (" + p.exitValue() + "):\n" + new String(err, StandardCharsets.UTF_8));
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError("cannot run " + PYTHON + " (install python3-torch): " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
