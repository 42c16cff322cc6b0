package org.glovebox.federated.wire;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Validated encodings of the small payloads: the session description, the standardization and model vectors. */
public final class Payloads {
    private static final int MAX_CERT = 16 << 10;

    private Payloads() {
    }

    /** One enrolled party: index (= position), name, Shamir point, PEM certificate. */
    public record Party(int index, String name, long point, String certificatePem) { }

    /**
     * The public context of the collective key, announced by the coordinator and checked by each hospital against its
     * own study definition: session id, CRS seed, threshold, parameter fingerprint and the parties.
     */
    public record SessionInfo(byte[] sessionId, byte[] crsSeed, int threshold, byte[] paramsFingerprint,
            List<Party> parties) {
        public byte[] toBytes() {
            try {
                ByteArrayOutputStream bos = new ByteArrayOutputStream();
                DataOutputStream out = new DataOutputStream(bos);
                out.write("GBSS".getBytes(StandardCharsets.US_ASCII));
                out.write(sessionId);
                out.write(crsSeed);
                out.writeInt(threshold);
                out.write(paramsFingerprint);
                out.writeInt(parties.size());
                for (Party p : parties) {
                    out.writeInt(p.index());
                    byte[] n = p.name().getBytes(StandardCharsets.UTF_8);
                    out.writeShort(n.length);
                    out.write(n);
                    out.writeLong(p.point());
                    byte[] c = p.certificatePem().getBytes(StandardCharsets.US_ASCII);
                    out.writeInt(c.length);
                    out.write(c);
                }
                out.flush();
                return bos.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public static SessionInfo read(byte[] data, int expectedParties) throws WireException {
            try {
                ByteBuffer b = ByteBuffer.wrap(data);
                byte[] magic = new byte[4];
                b.get(magic);
                if (!Arrays.equals(magic, "GBSS".getBytes(StandardCharsets.US_ASCII))) {
                    throw new WireException("not a session description");
                }
                byte[] sid = get(b, 16);
                byte[] crs = get(b, 32);
                int t = b.getInt();
                byte[] fp = get(b, 32);
                int n = b.getInt();
                if (n != expectedParties) {
                    throw new WireException("session names " + n + " parties, the study enrols " + expectedParties);
                }
                if (t < 1 || t > n) {
                    throw new WireException("threshold " + t + " outside [1, " + n + "]");
                }
                List<Party> ps = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    int idx = b.getInt();
                    if (idx != i) {
                        throw new WireException("party " + i + " has index " + idx);
                    }
                    int nl = b.getShort() & 0xffff;
                    if (nl > 64) {
                        throw new WireException("party name too long");
                    }
                    String name = new String(get(b, nl), StandardCharsets.UTF_8);
                    long point = b.getLong();
                    int cl = b.getInt();
                    if (cl < 0 || cl > MAX_CERT) {
                        throw new WireException("certificate of " + cl + " bytes");
                    }
                    ps.add(new Party(idx, name, point, new String(get(b, cl), StandardCharsets.US_ASCII)));
                }
                if (b.hasRemaining()) {
                    throw new WireException("trailing bytes after the session description");
                }
                return new SessionInfo(sid, crs, t, fp, List.copyOf(ps));
            } catch (BufferUnderflowException e) {
                throw new WireException("truncated session description");
            }
        }
    }

    private static byte[] get(ByteBuffer b, int n) throws WireException {
        if (n > b.remaining()) {
            throw new WireException("truncated: " + n + " bytes declared, " + b.remaining() + " present");
        }
        byte[] out = new byte[n];
        b.get(out);
        return out;
    }

    /** A vector of doubles with a tag (model parameters, standardization). */
    public static byte[] doubles(double[] v) {
        ByteBuffer b = ByteBuffer.allocate(8 + 8 * v.length).put("GBDV".getBytes(StandardCharsets.US_ASCII))
                .putInt(v.length);
        for (double x : v) {
            b.putDouble(x);
        }
        return b.array();
    }

    public static double[] readDoubles(byte[] data, int expectedLength) throws WireException {
        if (data.length != 8 + 8L * expectedLength) {
            throw new WireException("vector of " + data.length + " bytes, expected " + expectedLength + " values");
        }
        ByteBuffer b = ByteBuffer.wrap(data);
        byte[] m = new byte[4];
        b.get(m);
        if (!Arrays.equals(m, "GBDV".getBytes(StandardCharsets.US_ASCII)) || b.getInt() != expectedLength) {
            throw new WireException("not a vector of " + expectedLength + " values");
        }
        double[] v = new double[expectedLength];
        for (int i = 0; i < v.length; i++) {
            v[i] = b.getDouble();
            if (!Double.isFinite(v[i])) {
                throw new WireException("value " + i + " is not finite");
            }
        }
        return v;
    }
}
