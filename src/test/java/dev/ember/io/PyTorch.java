package dev.ember.io;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs src/test/resources/io/torch_io.py with the real PyTorch at /usr/bin/python3 (torch 1.13; .ci/run installs
 * python3-torch, so it is required, not optional).
 */
final class PyTorch {
    static final String PYTHON = "/usr/bin/python3";

    private PyTorch() {}

    /** Runs a torch_io.py command and returns its stdout; fails the test with stderr if it exits non-zero. */
    static String run(String... args) {
        try {
            Path script = Path.of(PyTorch.class.getResource("/io/torch_io.py").toURI());
            List<String> cmd = new ArrayList<>(List.of(PYTHON, script.toString()));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("torch_io.py " + String.join(" ", args) + " timed out");
            }
            if (p.exitValue() != 0)
                throw new AssertionError("torch_io.py " + String.join(" ", args) + " failed (" + p.exitValue() + "):\n" + new String(err, StandardCharsets.UTF_8));
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException | URISyntaxException e) {
            throw new AssertionError("cannot run " + PYTHON + " (install python3-torch): " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
