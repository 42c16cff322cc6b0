package org.glovebox.federated.transport;

import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The gRPC surface of the coordinator: three methods whose messages are Glovebox's own validated binary frames
 * ({@link org.glovebox.federated.wire.Wire}), carried as raw bytes (no code generation).
 *
 * <ul>
 *   <li>{@code Next} (unary, long poll): a hospital asks what to do next; the coordinator answers with a task.
 *   <li>{@code Fetch} (server streaming): a hospital downloads an object (session, public key, model, aggregate
 *       ciphertexts, its sealed key shares) as a header frame and chunk frames.
 *   <li>{@code Submit} (client streaming): a hospital uploads a result (key shares, encrypted update, decryption
 *       shares) as a header frame and chunk frames; the coordinator stores each chunk as it arrives.
 * </ul>
 */
public final class Rpc {
    public static final String SERVICE = "glovebox.federated.v1.Coordinator";
    /** Largest frame accepted on the wire (one ciphertext chunk plus framing). */
    public static final int MAX_FRAME_BYTES = 4 << 20;

    private Rpc() {
    }

    /** Marshals byte arrays as they are. Refuses frames larger than {@link #MAX_FRAME_BYTES}. */
    static final class Bytes implements MethodDescriptor.Marshaller<byte[]> {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                byte[] b = stream.readNBytes(MAX_FRAME_BYTES + 1);
                if (b.length > MAX_FRAME_BYTES) {
                    throw new IllegalArgumentException("frame larger than " + MAX_FRAME_BYTES + " bytes");
                }
                return b;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static final Bytes BYTES = new Bytes();

    public static final MethodDescriptor<byte[], byte[]> NEXT = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Next"))
            .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();

    public static final MethodDescriptor<byte[], byte[]> FETCH = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.SERVER_STREAMING)
            .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Fetch"))
            .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();

    public static final MethodDescriptor<byte[], byte[]> SUBMIT = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.CLIENT_STREAMING)
            .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Submit"))
            .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();
}
