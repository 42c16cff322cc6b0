package org.glovebox.federated.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.glovebox.federated.pki.Identity;
import org.glovebox.federated.pki.Pki;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the federated transport costs on this machine, apart from any Glovebox logic: a server with the coordinator's
 * three methods that only counts and acknowledges, and one client, over mutual TLS 1.3 as deployed ({@link Tls}) and,
 * for comparison, without TLS. Prints the process CPU per call (client and server in this JVM) for a unary call, an
 * upload of one small frame, and uploads of a small frame plus three frames of 16 and 48 KiB (about the size of a
 * decryption-share upload and of an encrypted 10^4-parameter upload). Run with {@code -Pslow-tests
 * -Dtest=TransportCostBenchmarkTest}, pinned to one core ({@code taskset -c 0}) to compare with the federated
 * benchmark.
 */
@Tag("slow")
class TransportCostBenchmarkTest {
    private static final int CALLS = 400;
    private static final int REPETITIONS = Integer.getInteger("glovebox.bench.repetitions", 12);

    @TempDir
    Path tmp;

    @Test
    void cpuPerCallAndPerByte() throws Exception {
        Pki.initCa(tmp, "transport-cost", Duration.ofDays(1));
        Pki.issue(tmp, tmp, "coordinator", Pki.Role.COORDINATOR, List.of("localhost"), List.of("127.0.0.1"),
                Duration.ofDays(1));
        Pki.issue(tmp, tmp, "hospital-1", Pki.Role.HOSPITAL, List.of(), List.of(), Duration.ofDays(1));
        AtomicLong received = new AtomicLong();
        ServerServiceDefinition def = ServerServiceDefinition.builder(Rpc.SERVICE)
                .addMethod(Rpc.NEXT, ServerCalls.asyncUnaryCall((req, obs) -> {
                    obs.onNext(new byte[8]);
                    obs.onCompleted();
                }))
                .addMethod(Rpc.FETCH, ServerCalls.asyncServerStreamingCall((req, obs) -> obs.onCompleted()))
                .addMethod(Rpc.SUBMIT, ServerCalls.asyncClientStreamingCall(obs -> new StreamObserver<byte[]>() {
                    public void onNext(byte[] frame) {
                        received.addAndGet(frame.length);
                    }

                    public void onError(Throwable t) {
                    }

                    public void onCompleted() {
                        obs.onNext(new byte[8]);
                        obs.onCompleted();
                    }
                })).build();
        StringBuilder out = new StringBuilder("| transport | call | CPU per call (µs) | wall per call (µs) |\n|---|---|---|---|\n");
        for (boolean tls : new boolean[] {true, false}) {
            NettyServerBuilder sb = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0));
            NettyChannelBuilder cb;
            if (tls) {
                sb.sslContext(Tls.server(Identity.inDirectory(tmp, "coordinator"), reason -> { }));
            }
            Server server = sb.maxInboundMessageSize(Rpc.MAX_FRAME_BYTES).addService(def).build().start();
            cb = NettyChannelBuilder.forAddress("localhost", server.getPort()).maxInboundMessageSize(Rpc.MAX_FRAME_BYTES);
            if (tls) {
                cb.sslContext(Tls.client(Identity.inDirectory(tmp, "hospital-1")));
            } else {
                cb.usePlaintext();
            }
            ManagedChannel channel = cb.build();
            try {
                for (int rep = 0; rep < REPETITIONS; rep++) { // the last is reported: the earlier ones warm the JIT
                    boolean report = rep == REPETITIONS - 1;
                    measure(out, report, tls, "unary, 100 B", () ->
                            ClientCalls.blockingUnaryCall(channel, Rpc.NEXT, CallOptions.DEFAULT, new byte[100]));
                    for (int frame : new int[] {0, 16 << 10, 48 << 10}) {
                        String what = frame == 0 ? "upload of one 100 B frame"
                                : "upload of 100 B + 3 × " + (frame >> 10) + " KiB";
                        measure(out, report, tls, what, () -> upload(channel, frame));
                    }
                }
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
        System.out.println(out);
        assertThat(received.get()).isGreaterThan(0);
    }

    private interface Call {
        void run() throws Exception;
    }

    private static void measure(StringBuilder out, boolean report, boolean tls, String what, Call call)
            throws Exception {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        for (int c = 0; c < CALLS; c++) {
            call.run();
        }
        long wall = System.nanoTime() - t0;
        long cpu = os.getProcessCpuTime() - cpu0;
        if (report) {
            out.append(String.format(java.util.Locale.ROOT, "| %s | %s | %.0f | %.0f |%n", tls ? "mutual TLS 1.3"
                    : "plaintext (comparison only)", what, cpu / 1e3 / CALLS, wall / 1e3 / CALLS));
        }
    }

    private static void upload(ManagedChannel channel, int frame) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        StreamObserver<byte[]> requests = ClientCalls.asyncClientStreamingCall(channel.newCall(Rpc.SUBMIT,
                CallOptions.DEFAULT.withOnReadyThreshold(1 << 20)), new StreamObserver<byte[]>() {
                    public void onNext(byte[] ack) {
                    }

                    public void onError(Throwable t) {
                        done.completeExceptionally(t);
                    }

                    public void onCompleted() {
                        done.complete(null);
                    }
                });
        requests.onNext(new byte[100]);
        for (int f = 0; f < 3 && frame > 0; f++) {
            requests.onNext(new byte[frame]);
        }
        requests.onCompleted();
        done.get(30, TimeUnit.SECONDS);
    }
}
