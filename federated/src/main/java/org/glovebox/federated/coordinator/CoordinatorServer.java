package org.glovebox.federated.coordinator;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.glovebox.federated.pki.Identity;
import org.glovebox.federated.transport.PeerIdentityInterceptor;
import org.glovebox.federated.transport.Rpc;
import org.glovebox.federated.transport.Tls;
import org.glovebox.federated.wire.Wire;
import org.glovebox.federated.wire.WireException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's gRPC server: TLS 1.3, client certificates of the consortium CA, identity from the TLS session,
 * only enrolled hospitals served. Binds to the given address only (127.0.0.1 by default).
 */
public final class CoordinatorServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorServer.class);
    private static final long POLL_MILLIS = 1000;

    private final Coordinator coordinator;
    private final Server server;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "coordinator-ticker");
        t.setDaemon(true);
        return t;
    });

    public CoordinatorServer(Coordinator coordinator, Identity identity, String host, int port) throws IOException {
        this.coordinator = coordinator;
        var study = coordinator.study();
        PeerIdentityInterceptor interceptor = new PeerIdentityInterceptor(n -> study.partyIndex(n) >= 0,
                (name, reason) -> coordinator.refuse(name, reason));
        ServerServiceDefinition def = ServerServiceDefinition.builder(Rpc.SERVICE)
                .addMethod(Rpc.NEXT, ServerCalls.asyncUnaryCall(this::next))
                .addMethod(Rpc.FETCH, ServerCalls.asyncServerStreamingCall(this::fetch))
                .addMethod(Rpc.SUBMIT, ServerCalls.asyncClientStreamingCall(this::submit))
                .build();
        this.server = NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
                .sslContext(Tls.server(identity, reason -> coordinator.refuse(null, reason)))
                .maxInboundMessageSize(Rpc.MAX_FRAME_BYTES)
                .addService(ServerInterceptors.intercept(def, interceptor))
                .build()
                .start();
        ticker.scheduleWithFixedDelay(() -> {
            try {
                coordinator.tick();
            } catch (RuntimeException e) {
                LOG.error("coordinator tick failed", e);
            }
        }, 200, 200, TimeUnit.MILLISECONDS);
        LOG.info("coordinator listening on {}:{}", host, server.getPort());
    }

    public int port() {
        return server.getPort();
    }

    public Coordinator coordinator() {
        return coordinator;
    }

    private String peer() {
        String p = PeerIdentityInterceptor.PEER.get();
        X509Certificate c = PeerIdentityInterceptor.PEER_CERT.get();
        coordinator.identify(p, c);
        return p;
    }

    private StatusRuntimeException refused(String who, Exception e) {
        coordinator.refuse(who, e.getMessage());
        return Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException();
    }

    private void next(byte[] req, StreamObserver<byte[]> out) {
        String who = null;
        try {
            who = peer();
            Wire.Task t = coordinator.next(who, Wire.readNextRequest(req), POLL_MILLIS);
            out.onNext(Wire.write(t));
            out.onCompleted();
        } catch (WireException e) {
            out.onError(refused(who, e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.onError(Status.UNAVAILABLE.withDescription("shutting down").asRuntimeException());
        } catch (RuntimeException e) {
            LOG.error("next failed", e);
            out.onError(Status.INTERNAL.withDescription(String.valueOf(e.getMessage())).asRuntimeException());
        }
    }

    private void fetch(byte[] req, StreamObserver<byte[]> out) {
        String who = null;
        try {
            who = peer();
            Wire.FetchRequest r = Wire.readFetchRequest(req);
            Coordinator.Source src = coordinator.fetch(who, r);
            ServerCallStreamObserver<byte[]> so = (ServerCallStreamObserver<byte[]>) out;
            // header with the digest (a first pass over the chunks, keeping none), then the chunks one at a time as
            // the transport drains: an object of any size costs one chunk of memory here
            int count = src.count();
            Wire.Digest d = new Wire.Digest();
            for (int i = 0; i < count; i++) {
                d.add(src.chunk(i));
            }
            byte[] sid = coordinator.study().id();
            so.onNext(Wire.write(new Wire.TransferHeader(sid, r.kind(), r.round(), r.attempt(), count, d.total(),
                    d.finish())));
            Streamer streamer = new Streamer(so, src, sid, count);
            so.setOnReadyHandler(streamer);
            streamer.run();
        } catch (WireException e) {
            out.onError(Status.FAILED_PRECONDITION.withDescription(e.getMessage()).asRuntimeException());
        } catch (SecurityException e) {
            out.onError(Status.PERMISSION_DENIED.withDescription(e.getMessage()).asRuntimeException());
        } catch (Exception e) {
            LOG.error("fetch failed", e);
            out.onError(Status.INTERNAL.withDescription(String.valueOf(e.getMessage())).asRuntimeException());
        }
    }

    /** Sends chunks while the call is ready; run again by gRPC whenever it becomes ready. */
    private static final class Streamer implements Runnable {
        private final ServerCallStreamObserver<byte[]> so;
        private final Coordinator.Source src;
        private final byte[] sid;
        private final int count;
        private int next;
        private boolean done;

        Streamer(ServerCallStreamObserver<byte[]> so, Coordinator.Source src, byte[] sid, int count) {
            this.so = so;
            this.src = src;
            this.sid = sid;
            this.count = count;
        }

        @Override
        public synchronized void run() {
            if (done) {
                return;
            }
            try {
                while (next < count && so.isReady() && !so.isCancelled()) {
                    so.onNext(Wire.write(new Wire.Chunk(sid, next, src.chunk(next))));
                    next++;
                }
                if (next == count) {
                    done = true;
                    so.onCompleted();
                } else if (so.isCancelled()) {
                    done = true;
                }
            } catch (Exception e) {
                done = true;
                LOG.error("fetch failed", e);
                so.onError(Status.INTERNAL.withDescription(String.valueOf(e.getMessage())).asRuntimeException());
            }
        }
    }

    private StreamObserver<byte[]> submit(StreamObserver<byte[]> out) {
        final String who;
        try {
            who = peer();
        } catch (SecurityException e) {
            out.onError(Status.PERMISSION_DENIED.withDescription(e.getMessage()).asRuntimeException());
            return new StreamObserver<>() {
                public void onNext(byte[] v) { }

                public void onError(Throwable t) { }

                public void onCompleted() { }
            };
        }
        return new StreamObserver<>() {
            Coordinator.Upload upload;
            boolean failed;

            @Override
            public void onNext(byte[] frame) {
                if (failed) {
                    return;
                }
                try {
                    if (upload == null) {
                        upload = coordinator.begin(who, Wire.readTransferHeader(frame));
                    } else {
                        upload.chunk(Wire.readChunk(frame));
                    }
                } catch (WireException e) {
                    fail();
                    out.onError(refused(who, e));
                } catch (Exception e) {
                    fail();
                    LOG.error("upload from {} failed", who, e);
                    out.onError(Status.INTERNAL.withDescription(String.valueOf(e.getMessage())).asRuntimeException());
                }
            }

            private void fail() {
                failed = true;
                if (upload != null) {
                    upload.abort();
                }
            }

            @Override
            public void onError(Throwable t) {
                fail();
            }

            @Override
            public void onCompleted() {
                if (failed) {
                    return;
                }
                try {
                    if (upload == null) {
                        throw new WireException("empty upload");
                    }
                    out.onNext(Wire.write(upload.finish()));
                    out.onCompleted();
                } catch (WireException e) {
                    fail();
                    out.onError(refused(who, e));
                } catch (RuntimeException e) {
                    fail();
                    LOG.error("upload from {} failed", who, e);
                    out.onError(Status.INTERNAL.withDescription(String.valueOf(e.getMessage())).asRuntimeException());
                }
            }
        };
    }

    /** Stops serving immediately (as a crash would, apart from the process). */
    public void kill() {
        coordinator.close();
        server.shutdownNow();
        ticker.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        kill();
    }
}
