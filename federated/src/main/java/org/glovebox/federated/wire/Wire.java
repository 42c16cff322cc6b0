package org.glovebox.federated.wire;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The binary frames of the coordinator protocol. Every frame starts with the magic {@code GBF3}, a frame type and the
 * 16-byte study id; readers check each field against its range, refuse unknown values and trailing bytes, and throw
 * {@link WireException} with a clear message, never allocate more than the declared limits.
 *
 * <p>Protocol versions: 1 (uncompressed chunks, counts in their own chunk), 2 (compressed uploads and decryption
 * shares, evaluation counts in the training upload), 3 (decryptors receive only the mask c_1 of each aggregate
 * ciphertext, attached to the DECRYPT task when small enough, else as the AGGREGATE download), 4 (training and
 * evaluation uploads under the hospitals' key shares in attempt 0, public-key uploads in attempt 1). A frame of an
 * earlier version is refused with a message naming both versions.
 */
public final class Wire {
    static final byte[] MAGIC = {'G', 'B', 'F', '4'};
    /** This node's protocol version (the last byte of {@link #MAGIC}). */
    public static final int VERSION = 4;
    /** Largest total of the chunks attached to one task (the aggregate masks of a DECRYPT task). */
    public static final int MAX_ATTACHMENT_BYTES = 1 << 20;
    /** Largest chunk payload (one ciphertext or share at N = 2^16 fits). */
    public static final int MAX_CHUNK_BYTES = 3 << 20;
    /** Most chunks in one transfer. */
    public static final int MAX_CHUNKS = 200_000;
    /** Most bytes in one transfer. */
    public static final long MAX_TRANSFER_BYTES = 8L << 30;
    public static final int MAX_PARTIES = 64;
    public static final int MAX_MESSAGE = 2048;

    private Wire() {
    }

    /** Frame types. */
    public enum FrameType {
        NEXT_REQUEST(1), TASK(2), FETCH_REQUEST(3), TRANSFER_HEADER(4), CHUNK(5), ACK(6);

        final int code;

        FrameType(int code) {
            this.code = code;
        }
    }

    /** What a transfer carries. */
    public enum Kind {
        SESSION(1), PUBLIC_KEY(2), SHAMIR_INBOX(3), STANDARDIZATION(4), MODEL(5), AGGREGATE(6), STATISTICS(7),
        PK_SHARE(10), SHAMIR_SHARES(11), SHAMIR_READY(12), STATS(13), UPDATE(14), DECRYPTION_SHARES(15);

        final int code;

        Kind(int code) {
            this.code = code;
        }

        static Kind of(int code) throws WireException {
            for (Kind k : values()) {
                if (k.code == code) {
                    return k;
                }
            }
            throw new WireException("unknown transfer kind " + code);
        }

        /** Kinds a hospital may download. */
        public boolean fetchable() {
            return code < 10;
        }
    }

    /** Tasks the coordinator hands to a hospital. */
    public enum TaskType {
        WAIT(1), SEND_PK_SHARE(2), SEND_SHAMIR_SHARES(3), RECEIVE_SHAMIR(4), SEND_STATS(5), TRAIN(6), EVALUATE(7),
        DECRYPT(8), FINISHED(9),
        /**
         * Decrypt round r's aggregate of uploads under key shares (attempt 0 of its decryption): its masks are the
         * round's common masks, which the hospital expands from their seeds; no attachment, no download.
         */
        DECRYPT_SEEDED(10);

        final int code;

        TaskType(int code) {
            this.code = code;
        }

        static TaskType of(int code) throws WireException {
            for (TaskType k : values()) {
                if (k.code == code) {
                    return k;
                }
            }
            throw new WireException("unknown task type " + code);
        }
    }

    // ------------------------------------------------------------------ frames

    public record NextRequest(byte[] studyId) { }

    /**
     * A task: for DECRYPT, {@code round} 0 is the standardization statistics, {@code active} the t parties and
     * {@code attachment} the masks c_1 of the aggregate ciphertexts to decrypt when their total is at most
     * {@link #MAX_ATTACHMENT_BYTES} (otherwise empty, and the hospital downloads them as {@link Kind#AGGREGATE}).
     * Other tasks carry no attachment.
     */
    public record Task(byte[] studyId, TaskType type, int round, int attempt, int waitMillis, int[] active,
            String message, List<byte[]> attachment) {
        public Task {
            attachment = List.copyOf(attachment);
            if (!attachment.isEmpty() && type != TaskType.DECRYPT) {
                throw new IllegalArgumentException("only a DECRYPT task carries an attachment");
            }
        }

        /** A task without attachment. */
        public Task(byte[] studyId, TaskType type, int round, int attempt, int waitMillis, int[] active,
                String message) {
            this(studyId, type, round, attempt, waitMillis, active, message, List.of());
        }
    }

    public record FetchRequest(byte[] studyId, Kind kind, int round, int attempt) { }

    public record TransferHeader(byte[] studyId, Kind kind, int round, int attempt, int chunkCount, long totalBytes,
            byte[] digest) {
        public String digestHex() {
            return HexFormat.of().formatHex(digest);
        }
    }

    public record Chunk(byte[] studyId, int index, byte[] data) { }

    public record Ack(byte[] studyId, boolean duplicate, String message) { }

    // ------------------------------------------------------------------ writers

    private static DataOutputStream start(ByteArrayOutputStream bos, FrameType t, byte[] studyId) throws IOException {
        if (studyId.length != 16) {
            throw new IllegalArgumentException("study id must be 16 bytes");
        }
        DataOutputStream out = new DataOutputStream(bos);
        out.write(MAGIC);
        out.writeByte(t.code);
        out.write(studyId);
        return out;
    }

    public static byte[] write(NextRequest r) {
        return build(FrameType.NEXT_REQUEST, r.studyId(), out -> { });
    }

    public static byte[] write(Task t) {
        int attached = 0;
        for (byte[] c : t.attachment()) {
            attached += 4 + c.length;
        }
        return build(FrameType.TASK, t.studyId(), 256 + attached, out -> {
            out.writeByte(t.type().code);
            out.writeInt(t.round());
            out.writeInt(t.attempt());
            out.writeInt(t.waitMillis());
            out.writeShort(t.active().length);
            for (int a : t.active()) {
                out.writeShort(a);
            }
            writeString(out, t.message());
            out.writeInt(t.attachment().size());
            for (byte[] c : t.attachment()) {
                out.writeInt(c.length);
                out.write(c);
            }
        });
    }

    public static byte[] write(FetchRequest r) {
        return build(FrameType.FETCH_REQUEST, r.studyId(), out -> {
            out.writeByte(r.kind().code);
            out.writeInt(r.round());
            out.writeInt(r.attempt());
        });
    }

    public static byte[] write(TransferHeader h) {
        return build(FrameType.TRANSFER_HEADER, h.studyId(), out -> {
            out.writeByte(h.kind().code);
            out.writeInt(h.round());
            out.writeInt(h.attempt());
            out.writeInt(h.chunkCount());
            out.writeLong(h.totalBytes());
            out.write(h.digest());
        });
    }

    public static byte[] write(Chunk c) {
        if (c.studyId().length != 16) {
            throw new IllegalArgumentException("study id must be 16 bytes");
        }
        // the hot frame (every chunk of every transfer): written into an array of its exact size
        return ByteBuffer.allocate(4 + 1 + 16 + 4 + 4 + c.data().length).put(MAGIC).put((byte) FrameType.CHUNK.code)
                .put(c.studyId()).putInt(c.index()).putInt(c.data().length).put(c.data()).array();
    }

    public static byte[] write(Ack a) {
        return build(FrameType.ACK, a.studyId(), out -> {
            out.writeByte(a.duplicate() ? 1 : 0);
            writeString(out, a.message());
        });
    }

    private interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] build(FrameType t, byte[] studyId, Body body) {
        return build(t, studyId, 64, body);
    }

    private static byte[] build(FrameType t, byte[] studyId, int sizeHint, Body body) {
        try {
            ByteArrayOutputStream bos = new ByteArrayOutputStream(sizeHint);
            DataOutputStream out = start(bos, t, studyId);
            body.write(out);
            out.flush();
            return bos.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
        if (b.length > MAX_MESSAGE) {
            b = Arrays.copyOf(b, MAX_MESSAGE);
        }
        out.writeShort(b.length);
        out.write(b);
    }

    // ------------------------------------------------------------------ readers

    /** A bounded reader over one frame. */
    private static final class In {
        final ByteBuffer b;

        In(byte[] data, FrameType expected) throws WireException {
            if (data == null) {
                throw new WireException("empty frame");
            }
            this.b = ByteBuffer.wrap(data);
            if (data.length < 4 + 1 + 16) {
                throw new WireException("frame of " + data.length + " bytes is too short for a header");
            }
            byte[] m = new byte[4];
            b.get(m);
            if (m[0] == 'G' && m[1] == 'B' && m[2] == 'F' && m[3] >= '1' && m[3] < MAGIC[3]) {
                throw new WireException("a frame of federated protocol version " + (char) m[3] + " (GBF" + (char) m[3]
                        + "): this node speaks version " + VERSION + " (GBF" + VERSION + "); update the other party");
            }
            if (!Arrays.equals(m, MAGIC)) {
                throw new WireException("not a Glovebox federated frame (bad magic)");
            }
            int t = b.get() & 0xff;
            if (t != expected.code) {
                throw new WireException("expected a " + expected + " frame, got frame type " + t);
            }
        }

        byte[] studyId() {
            byte[] id = new byte[16];
            b.get(id);
            return id;
        }

        int u8() {
            return b.get() & 0xff;
        }

        int int32(String what, int min, int max) throws WireException {
            int v = b.getInt();
            if (v < min || v > max) {
                throw new WireException(what + " " + v + " is outside [" + min + ", " + max + "]");
            }
            return v;
        }

        long int64(String what, long min, long max) throws WireException {
            long v = b.getLong();
            if (v < min || v > max) {
                throw new WireException(what + " " + v + " is outside [" + min + ", " + max + "]");
            }
            return v;
        }

        byte[] bytes(int n) throws WireException {
            if (n > b.remaining()) {
                throw new WireException("frame truncated: " + n + " bytes declared, " + b.remaining() + " present");
            }
            byte[] out = new byte[n];
            b.get(out);
            return out;
        }

        String string() throws WireException {
            int n = b.getShort() & 0xffff;
            if (n > MAX_MESSAGE) {
                throw new WireException("message of " + n + " bytes exceeds " + MAX_MESSAGE);
            }
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes(n))).toString();
            } catch (CharacterCodingException e) {
                throw new WireException("message is not valid UTF-8");
            }
        }

        void end() throws WireException {
            if (b.hasRemaining()) {
                throw new WireException(b.remaining() + " unexpected bytes after the end of the frame");
            }
        }
    }

    private interface Parse<T> {
        T parse(In in) throws WireException;
    }

    private static <T> T read(byte[] data, FrameType t, Parse<T> p) throws WireException {
        try {
            In in = new In(data, t);
            T v = p.parse(in);
            in.end();
            return v;
        } catch (BufferUnderflowException e) {
            throw new WireException(t + " frame is truncated");
        }
    }

    public static NextRequest readNextRequest(byte[] data) throws WireException {
        return read(data, FrameType.NEXT_REQUEST, in -> new NextRequest(in.studyId()));
    }

    public static Task readTask(byte[] data) throws WireException {
        return read(data, FrameType.TASK, in -> {
            byte[] id = in.studyId();
            TaskType type = TaskType.of(in.u8());
            int round = in.int32("round", 0, 10_000_000);
            int attempt = in.int32("attempt", 0, 1_000_000);
            int wait = in.int32("wait", 0, 600_000);
            int n = in.b.getShort() & 0xffff;
            if (n > MAX_PARTIES) {
                throw new WireException("active set of " + n + " parties exceeds " + MAX_PARTIES);
            }
            int[] active = new int[n];
            for (int i = 0; i < n; i++) {
                active[i] = in.b.getShort() & 0xffff;
                if (active[i] >= MAX_PARTIES || (i > 0 && active[i] <= active[i - 1])) {
                    throw new WireException("active set must be ascending party indices below " + MAX_PARTIES);
                }
            }
            String message = in.string();
            int count = in.int32("attached chunk count", 0, MAX_CHUNKS);
            if (count > 0 && type != TaskType.DECRYPT) {
                throw new WireException("a " + type + " task carries no attachment, found " + count + " chunks");
            }
            List<byte[]> attachment = new ArrayList<>(Math.min(count, 64));
            long total = 0;
            for (int i = 0; i < count; i++) {
                int len = in.int32("attached chunk length", 0, MAX_CHUNK_BYTES);
                total += len;
                if (total > MAX_ATTACHMENT_BYTES) {
                    throw new WireException("task attachment exceeds " + MAX_ATTACHMENT_BYTES + " bytes");
                }
                attachment.add(in.bytes(len));
            }
            return new Task(id, type, round, attempt, wait, active, message, attachment);
        });
    }

    public static FetchRequest readFetchRequest(byte[] data) throws WireException {
        return read(data, FrameType.FETCH_REQUEST, in -> {
            byte[] id = in.studyId();
            Kind k = Kind.of(in.u8());
            if (!k.fetchable()) {
                throw new WireException(k + " cannot be fetched");
            }
            return new FetchRequest(id, k, in.int32("round", 0, 10_000_000), in.int32("attempt", 0, 1_000_000));
        });
    }

    public static TransferHeader readTransferHeader(byte[] data) throws WireException {
        return read(data, FrameType.TRANSFER_HEADER, in -> new TransferHeader(in.studyId(), Kind.of(in.u8()),
                in.int32("round", 0, 10_000_000), in.int32("attempt", 0, 1_000_000),
                in.int32("chunk count", 0, MAX_CHUNKS), in.int64("total bytes", 0, MAX_TRANSFER_BYTES),
                in.bytes(32)));
    }

    public static Chunk readChunk(byte[] data) throws WireException {
        return read(data, FrameType.CHUNK, in -> {
            byte[] id = in.studyId();
            int index = in.int32("chunk index", 0, MAX_CHUNKS - 1);
            int n = in.int32("chunk length", 0, MAX_CHUNK_BYTES);
            return new Chunk(id, index, in.bytes(n));
        });
    }

    public static Ack readAck(byte[] data) throws WireException {
        return read(data, FrameType.ACK, in -> {
            byte[] id = in.studyId();
            int d = in.u8();
            if (d > 1) {
                throw new WireException("invalid duplicate flag " + d);
            }
            return new Ack(id, d == 1, in.string());
        });
    }

    // ------------------------------------------------------------------ transfer digests

    /** Running SHA-256 over the chunks of a transfer: H(index || length || bytes ...). */
    public static final class Digest {
        private final MessageDigest md;
        private long total;
        private int count;

        public Digest() {
            try {
                md = MessageDigest.getInstance("SHA-256");
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        public void add(byte[] chunk) {
            md.update(ByteBuffer.allocate(12).putInt(count).putLong(chunk.length).array());
            md.update(chunk);
            total += chunk.length;
            count++;
        }

        public long total() {
            return total;
        }

        public int count() {
            return count;
        }

        public byte[] finish() {
            return md.digest();
        }

        public static byte[] of(List<byte[]> chunks) {
            Digest d = new Digest();
            chunks.forEach(d::add);
            return d.finish();
        }
    }

    /** A transfer: header plus chunks. */
    public static List<byte[]> frames(byte[] studyId, Kind kind, int round, int attempt, List<byte[]> chunks) {
        List<byte[]> out = new ArrayList<>();
        long total = 0;
        for (byte[] c : chunks) {
            total += c.length;
        }
        out.add(write(new TransferHeader(studyId, kind, round, attempt, chunks.size(), total, Digest.of(chunks))));
        for (int i = 0; i < chunks.size(); i++) {
            out.add(write(new Chunk(studyId, i, chunks.get(i))));
        }
        return out;
    }
}
