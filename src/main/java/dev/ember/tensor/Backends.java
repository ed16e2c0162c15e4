package dev.ember.tensor;

import dev.ember.tensor.spi.Backend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.logging.Logger;

/**
 * Finds the backends on the class path ({@link ServiceLoader}, ranked by priority, each with an availability
 * check), so that {@code tensor} names no backend and a missing GPU only costs a log line.
 */
public final class Backends {
    private static final Logger LOG = Logger.getLogger(Backends.class.getName());
    private static volatile List<Backend> available;

    private Backends() {}

    /** Usable backends, best first. */
    public static List<Backend> available() {
        List<Backend> a = available;
        if (a == null) {
            synchronized (Backends.class) {
                if (available == null) available = discover();
                a = available;
            }
        }
        return a;
    }

    private static List<Backend> discover() {
        List<Backend> found = new ArrayList<>();
        for (Backend b : ServiceLoader.load(Backend.class, Backends.class.getClassLoader())) {
            String why = b.unavailableReason();
            if (why == null) found.add(b);
            else LOG.info("backend " + b.name() + " unavailable: " + why);
        }
        found.sort(Comparator.comparingInt(Backend::priority).reversed());
        if (found.stream().noneMatch(b -> b.deviceType() == Device.Type.CPU))
            throw new IllegalStateException("no CPU backend found on the class path (META-INF/services/" + Backend.class.getName() + ")");
        return List.copyOf(found);
    }

    public static Backend forDevice(Device device) {
        for (Backend b : available()) if (b.deviceType() == device.type()) return b;
        throw new IllegalStateException("no backend for device " + device + " (is it present and are its libraries installed?)");
    }

    public static Backend cpu() { return forDevice(Device.CPU); }

    /** {@code torch.cuda.is_available()}. */
    public static boolean cudaAvailable() {
        return available().stream().anyMatch(b -> b.deviceType() == Device.Type.CUDA);
    }
}
