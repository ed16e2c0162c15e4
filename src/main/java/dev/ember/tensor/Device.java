package dev.ember.tensor;

/** Where a tensor's storage lives: {@code cpu} or {@code cuda:N}, spelled as in PyTorch. */
public record Device(Type type, int index) {
    public enum Type { CPU, CUDA }

    public static final Device CPU = new Device(Type.CPU, -1);

    public Device {
        if (type == Type.CPU && index > 0) throw new IllegalArgumentException("cpu device has no index " + index);
    }

    public static Device cuda(int index) { return new Device(Type.CUDA, index); }

    /** Parses {@code cpu}, {@code cuda} or {@code cuda:1}. */
    public static Device parse(String s) {
        String t = s.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.equals("cpu")) return CPU;
        if (t.equals("cuda")) return cuda(0);
        if (t.startsWith("cuda:")) {
            try {
                return cuda(Integer.parseInt(t.substring(5)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Invalid device string: '" + s + "'");
            }
        }
        throw new IllegalArgumentException("Expected one of cpu, cuda device type at start of device string: " + s);
    }

    public boolean isCpu() { return type == Type.CPU; }

    @Override
    public String toString() { return type == Type.CPU ? "cpu" : "cuda:" + Math.max(index, 0); }
}
