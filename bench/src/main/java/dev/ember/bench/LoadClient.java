package dev.ember.bench;

import com.google.protobuf.ByteString;
import dev.ember.api.grpc.proto.GRPCInferenceServiceGrpc;
import dev.ember.api.grpc.proto.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import dev.ember.api.grpc.proto.InferTensorContents;
import dev.ember.api.grpc.proto.ModelInferRequest;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop load generator for the Open Inference Protocol: N clients, each sending its next single-row request
 * as soon as the previous answer is in, for a fixed time after a warm-up. Reports throughput and latency
 * percentiles as one JSON line. Speaks REST (JSON, or Triton's binary extension) over one keep-alive HTTP/1.1
 * connection per client ({@link RawHttp}) and gRPC (typed or raw contents) through the generated stubs on one
 * HTTP/2 channel, so one client drives Ember and the FastAPI peer alike.
 *
 * <pre>
 * LoadClient --protocol rest|grpc [--encoding json|binary|typed|raw] [--host 127.0.0.1] [--port 8080]
 *            --model lenet --input x --shape 1,1,32,32 [--concurrency 8] [--seconds 15] [--warmup 3] [--label text]
 * </pre>
 */
public final class LoadClient {
    private final Map<String, String> opts;
    private final String protocol, encoding, host, model, input, label;
    private final int port, concurrency;
    private final long[] shape;
    private final int numel;
    private final Duration measure, warmup;

    private LoadClient(Map<String, String> opts) {
        this.opts = opts;
        protocol = opt("protocol", null);
        encoding = opt("encoding", protocol.equals("rest") ? "json" : "raw");
        host = opt("host", "127.0.0.1");
        port = Integer.parseInt(opt("port", protocol.equals("rest") ? "8080" : "9000"));
        model = opt("model", null);
        input = opt("input", null);
        shape = Arrays.stream(opt("shape", null).split(",")).mapToLong(Long::parseLong).toArray();
        numel = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        concurrency = Integer.parseInt(opt("concurrency", "8"));
        measure = Duration.ofMillis((long) (Double.parseDouble(opt("seconds", "15")) * 1000));
        warmup = Duration.ofMillis((long) (Double.parseDouble(opt("warmup", "3")) * 1000));
        label = opt("label", protocol + "-" + encoding);
    }

    private String opt(String name, String dflt) {
        String v = opts.getOrDefault(name, dflt);
        if (v == null) throw new IllegalArgumentException("missing --" + name);
        return v;
    }

    /** One client's way of sending a request; returns normally on a 200 / OK answer. */
    interface Sender {
        void send() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) throw new IllegalArgumentException("expected --name value pairs, got " + Arrays.toString(args));
            opts.put(args[i].substring(2), args[i + 1]);
        }
        System.out.println(new LoadClient(opts).run());
    }

    String run() throws Exception {
        ManagedChannel channel = protocol.equals("grpc")
                ? NettyChannelBuilder.forAddress(host, port).usePlaintext().maxInboundMessageSize(64 << 20).build() : null;
        List<long[]> perClient = new ArrayList<>();
        AtomicLong errors = new AtomicLong();
        AtomicLong firstError = new AtomicLong();
        String[] errorText = new String[1];
        String load = loadAverage();
        long start = System.nanoTime();
        long measureFrom = start + warmup.toNanos(), end = measureFrom + measure.toNanos();
        CountDownLatch done = new CountDownLatch(concurrency);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < concurrency; c++) {
            Sender sender = sender(channel, c);
            long[][] lat = {new long[1024]};
            int[] count = {0};
            Runnable body = () -> {
                try {
                    while (true) {
                        long t0 = System.nanoTime();
                        if (t0 >= end) break;
                        try {
                            sender.send();
                        } catch (Exception e) {
                            if (errors.incrementAndGet() == 1) {
                                firstError.set(t0);
                                errorText[0] = e.toString();
                            }
                            continue;
                        }
                        long t1 = System.nanoTime();
                        if (t0 >= measureFrom && t1 <= end) {
                            if (count[0] == lat[0].length) lat[0] = Arrays.copyOf(lat[0], lat[0].length * 2);
                            lat[0][count[0]++] = t1 - t0;
                        }
                    }
                } finally {
                    synchronized (perClient) {
                        perClient.add(Arrays.copyOf(lat[0], count[0]));
                    }
                    done.countDown();
                }
            };
            threads.add(Thread.ofPlatform().daemon(true).name("load-" + c).start(body));
        }
        if (!done.await(warmup.toSeconds() + measure.toSeconds() + 120, TimeUnit.SECONDS)) throw new IllegalStateException("clients did not finish");
        if (channel != null) channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        long[] all = perClient.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        double seconds = measure.toNanos() / 1e9;
        return String.format(Locale.ROOT,
                "{\"label\": \"%s\", \"model\": \"%s\", \"protocol\": \"%s\", \"encoding\": \"%s\", \"port\": %d, \"concurrency\": %d, \"seconds\": %.1f,"
                        + " \"requests\": %d, \"throughput\": %.1f, \"p50_ms\": %.3f, \"p90_ms\": %.3f, \"p99_ms\": %.3f, \"max_ms\": %.3f, \"errors\": %d, \"load_before\": \"%s\"%s}",
                label, model, protocol, encoding, port, concurrency, seconds, all.length, all.length / seconds, pct(all, 50), pct(all, 90), pct(all, 99),
                all.length == 0 ? 0 : all[all.length - 1] / 1e6, errors.get(), load, errors.get() == 0 ? "" : ", \"first_error\": \"" + errorText[0].replace("\"", "'") + "\"");
    }

    /** The 1-, 5- and 15-minute load averages (the machine is shared: a busy one shows here). */
    private static String loadAverage() {
        try {
            String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) return Double.NaN;
        int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }

    /** Client c's request: its own seeded values, so the server cannot answer from a cache. */
    private Sender sender(ManagedChannel channel, int c) {
        float[] values = new float[numel];
        SplittableRandom rnd = new SplittableRandom(c);
        for (int i = 0; i < numel; i++) values[i] = (float) rnd.nextDouble(-1, 1);
        String shapeJson = Arrays.toString(shape);
        return switch (protocol + "/" + encoding) {
            case "rest/json" -> {
                StringBuilder data = new StringBuilder();
                for (int i = 0; i < numel; i++) data.append(i == 0 ? "" : ",").append(values[i]);
                String body = "{\"inputs\": [{\"name\": \"" + input + "\", \"shape\": " + shapeJson + ", \"datatype\": \"FP32\", \"data\": [" + data + "]}]}";
                yield new RawHttp(host, port, path(), "Content-Type: application/json\r\n", body.getBytes(StandardCharsets.UTF_8));
            }
            case "rest/binary" -> {
                String header = "{\"inputs\": [{\"name\": \"" + input + "\", \"shape\": " + shapeJson + ", \"datatype\": \"FP32\", \"parameters\": {\"binary_data_size\": "
                        + 4 * numel + "}}], \"parameters\": {\"binary_data_output\": true}}";
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                byte[] h = header.getBytes(StandardCharsets.UTF_8);
                b.writeBytes(h);
                b.writeBytes(floats(values));
                yield new RawHttp(host, port, path(), "Content-Type: application/octet-stream\r\nInference-Header-Content-Length: " + h.length + "\r\n",
                        b.toByteArray());
            }
            case "grpc/typed", "grpc/raw" -> {
                ModelInferRequest.InferInputTensor.Builder in = ModelInferRequest.InferInputTensor.newBuilder().setName(input).setDatatype("FP32");
                for (long d : shape) in.addShape(d);
                ModelInferRequest.Builder r = ModelInferRequest.newBuilder().setModelName(model);
                if (encoding.equals("raw")) {
                    r.addRawInputContents(ByteString.copyFrom(floats(values)));
                } else {
                    InferTensorContents.Builder contents = InferTensorContents.newBuilder();
                    for (float v : values) contents.addFp32Contents(v);
                    in.setContents(contents);
                }
                ModelInferRequest req = r.addInputs(in).build();
                GRPCInferenceServiceBlockingStub stub = GRPCInferenceServiceGrpc.newBlockingStub(channel);
                yield () -> stub.withDeadlineAfter(60, TimeUnit.SECONDS).modelInfer(req);
            }
            default -> throw new IllegalArgumentException("unknown protocol/encoding " + protocol + "/" + encoding);
        };
    }

    private String path() { return "/v2/models/" + model + "/infer"; }

    private static byte[] floats(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) b.putFloat(f);
        return b.array();
    }
}
