package org.glovebox.federated.crypto;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import org.glovebox.federated.study.StudyDefinition;
import org.glovebox.federated.wire.WireException;
import org.glovebox.he.ckks.Ciphertext;
import org.glovebox.he.ckks.Encoder;
import org.glovebox.he.ckks.Encryptor;
import org.glovebox.he.ckks.Evaluator;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.ckks.Plaintext;
import org.glovebox.he.ckks.Serialization;
import org.glovebox.he.io.MalformedDataException;
import org.glovebox.he.multiparty.Smudging;

/**
 * How a study packs numbers into ciphertexts for aggregation, and how it reads them back.
 *
 * <h2>Ring and packing</h2>
 * Aggregation only adds ciphertexts: no multiplication, no rescaling, so one ciphertext prime suffices. The ring is
 * N = 2^13 (default) with a single 60-bit chain prime q and one 60-bit special prime for public-key encryption
 * (log QP = 120 ≤ 218: 128-bit secure). Every ciphertext is fully packed with N real numbers: N/2 complex slots, the
 * first N/2 values in the real parts and the next N/2 in the imaginary parts. A level-0 ciphertext is 2·N residues of
 * 60 bits, i.e. 15 bytes per packed number (ciphertext expansion).
 *
 * <h2>Two encodings</h2>
 * <ul>
 *   <li><b>Model updates</b> (fixed point): a value v with |v| ≤ R is encoded at scale Δ_u = 2^(log q − 3)/R, where
 *       R = clipNorm · (1 + 8·noiseMultiplier) bounds the weighted, clipped, noised update and its sum over hospitals
 *       (weights n_i / N_total sum to at most 1). The decryption error (smudging of t parties) is about 2^-29·R.
 *   <li><b>Exact integers</b> (statistics and evaluation counts): an integer is split into D balanced digits of b bits,
 *       each encoded at a scale Δ_i ≥ 24 × the decryption noise, so that the sum of every digit over all hospitals
 *       rounds back exactly; the digits of the sum are recombined into the exact integer sum.
 * </ul>
 *
 * <p>The plaintext mode {@code INSECURE_PLAINTEXT_AGGREGATION_FOR_BENCHMARKS} uses the same quantization (values
 * rounded to the same grid, carried as 64-bit integers), so the two modes differ only by the decryption noise.
 */
public final class AggregationScheme {
    private static final byte[] PLAIN_MAGIC = {'G', 'B', 'P', 'L'};
    /** Fraction bits of fixed-point statistics (sums, sums of squares, losses). */
    public static final int FRACTION_BITS = 20;
    /** Digits per value of the feature statistics (n, sums, sums of squares). */
    public static final int STATS_DIGITS = 6;
    /** Digits per value of the evaluation counts. */
    public static final int EVAL_DIGITS = 4;

    private final Parameters params;
    private final Encoder encoder;
    private final Evaluator evaluator;
    private final Smudging smudging;
    private final boolean encrypted;
    private final int valuesPerChunk;
    private final double updateScale;
    private final double updateRange;
    private final double integerScale;
    private final int digitBits;
    private final double slotNoise;

    private AggregationScheme(StudyDefinition study, int modelSize) {
        this.params = parametersFor(study);
        this.encoder = new Encoder(params);
        this.evaluator = new Evaluator(params);
        this.encrypted = study.encrypted();
        this.valuesPerChunk = params.n();
        int parties = study.hospitals().size();
        int updateChunks = chunks(modelSize);
        long releases = 4L * (study.rounds() + 2) * (updateChunks + 1) + 64;
        double ctNoise = Math.sqrt(parties + 1.0) * Smudging.rescaledNoiseStd(params, parties);
        this.smudging = Smudging.forReleases(params, releases, ctNoise);
        this.slotNoise = smudging.standardDeviation() * Math.sqrt(parties) * Math.sqrt(params.n() / 2.0);
        int logQ = 63 - Long.numberOfLeadingZeros(params.q(0));
        double z = study.privacy().enabled() ? study.privacy().noiseMultiplier() : 0;
        this.updateRange = study.clipNorm() * (1 + 8 * z);
        this.updateScale = Math.scalb(1.0, logQ - 3) / updateRange;
        int logIntScale = (int) Math.ceil(Math.log(24 * slotNoise) / Math.log(2));
        this.integerScale = Math.scalb(1.0, Math.max(logIntScale, 1));
        int logParties = 32 - Integer.numberOfLeadingZeros(Math.max(parties - 1, 1));
        this.digitBits = logQ - 3 - Math.max(logIntScale, 1) - logParties;
        if (digitBits < 8) {
            throw new IllegalStateException("the ring leaves only " + digitBits + " bits per integer digit for "
                    + parties + " hospitals: use a larger prime or fewer hospitals");
        }
    }

    public static AggregationScheme forStudy(StudyDefinition study, int modelSize) {
        return new AggregationScheme(study, modelSize);
    }

    /** N = 2^logN, one 60-bit chain prime and one 60-bit special prime (insecure small rings only for tests). */
    public static Parameters parametersFor(StudyDefinition study) {
        Parameters.Builder b = Parameters.builder().logN(study.logN()).primeBits(new int[] {60}, new int[] {60})
                .logScale(40);
        if (study.insecureRing()) {
            b.insecureForTestingOnly();
        }
        return b.build();
    }

    public Parameters parameters() {
        return params;
    }

    public Encoder encoder() {
        return encoder;
    }

    public Smudging smudging() {
        return smudging;
    }

    public boolean encrypted() {
        return encrypted;
    }

    public int valuesPerChunk() {
        return valuesPerChunk;
    }

    public int chunks(int values) {
        return Math.max(1, (values + valuesPerChunk - 1) / valuesPerChunk);
    }

    public double updateScale() {
        return updateScale;
    }

    public double updateRange() {
        return updateRange;
    }

    public double integerScale() {
        return integerScale;
    }

    public int digitBits() {
        return digitBits;
    }

    /** Expected standard deviation of the decryption error of one packed value, in encoded units. */
    public double slotNoise() {
        return slotNoise;
    }

    // ------------------------------------------------------------------ encoding one chunk

    /** One chunk of {@code values} (from {@code from}, at most N values) at {@code scale}: ciphertext or plain. */
    public byte[] encodeChunk(Encryptor enc, double[] values, int from, double scale) {
        int n = Math.min(valuesPerChunk, values.length - from);
        if (!encrypted) {
            ByteBuffer b = ByteBuffer.allocate(4 + 4 + 8 + 8 * n).put(PLAIN_MAGIC).putInt(n)
                    .putDouble(scale);
            for (int i = 0; i < n; i++) {
                b.putLong(quantize(values[from + i], scale));
            }
            return b.array();
        }
        int half = valuesPerChunk / 2;
        double[] re = new double[half];
        double[] im = new double[half];
        for (int i = 0; i < n; i++) {
            if (i < half) {
                re[i] = values[from + i];
            } else {
                im[i - half] = values[from + i];
            }
        }
        Plaintext pt = encoder.encode(re, im, half, 0, scale);
        return Serialization.toBytes(enc.encrypt(pt));
    }

    private static long quantize(double v, double scale) {
        double x = Math.rint(v * scale);
        if (!(Math.abs(x) < 0x1p62)) {
            throw new IllegalArgumentException("value " + v + " is outside the encodable range");
        }
        return (long) x;
    }

    /** A validated chunk: a level-0 ciphertext at the expected scale, or plain quantized values. */
    public Object readChunk(byte[] data, double expectedScale) throws WireException {
        if (encrypted) {
            Ciphertext ct;
            try {
                ct = Serialization.ciphertextFromBytes(data, params);
            } catch (MalformedDataException e) {
                throw new WireException("malformed ciphertext: " + e.getMessage(), e);
            }
            if (ct.size() != 2 || ct.level() != 0 || ct.slots() != valuesPerChunk / 2
                    || ct.scale() != expectedScale) {
                throw new WireException("ciphertext has the wrong shape (size " + ct.size() + ", level " + ct.level()
                        + ", slots " + ct.slots() + ", scale 2^" + Math.log(ct.scale()) / Math.log(2)
                        + "), expected a fresh level-0 ciphertext of " + valuesPerChunk / 2 + " slots at scale 2^"
                        + Math.log(expectedScale) / Math.log(2));
            }
            return ct;
        }
        if (data.length < 16 || (data.length - 16) % 8 != 0) {
            throw new WireException("plain chunk of " + data.length + " bytes is malformed");
        }
        ByteBuffer b = ByteBuffer.wrap(data);
        byte[] m = new byte[4];
        b.get(m);
        if (!java.util.Arrays.equals(m, PLAIN_MAGIC)) {
            throw new WireException("not a plain aggregation chunk (bad magic)");
        }
        int n = b.getInt();
        double scale = b.getDouble();
        if (n < 0 || n > valuesPerChunk || n != (data.length - 16) / 8) {
            throw new WireException("plain chunk declares " + n + " values for " + (data.length - 16) / 8);
        }
        if (scale != expectedScale) {
            throw new WireException("plain chunk at the wrong scale");
        }
        long[] v = new long[valuesPerChunk];
        for (int i = 0; i < n; i++) {
            v[i] = b.getLong();
        }
        return v;
    }

    /** Sum of two chunks read by {@link #readChunk} (ciphertext sum, or exact 64-bit sum). */
    public Object add(Object a, Object b) {
        if (a == null) {
            return b;
        }
        if (a instanceof Ciphertext x && b instanceof Ciphertext y) {
            return evaluator.add(x, y);
        }
        long[] x = (long[]) a;
        long[] y = (long[]) b;
        long[] z = new long[x.length];
        for (int i = 0; i < z.length; i++) {
            z[i] = Math.addExact(x[i], y[i]);
        }
        return z;
    }

    /** Serialized form of a chunk sum. */
    public byte[] toBytes(Object chunk, double scale) {
        if (chunk instanceof Ciphertext ct) {
            return Serialization.toBytes(ct);
        }
        long[] v = (long[]) chunk;
        ByteBuffer b = ByteBuffer.allocate(16 + 8 * v.length).put(PLAIN_MAGIC).putInt(v.length).putDouble(scale);
        for (long x : v) {
            b.putLong(x);
        }
        return b.array();
    }

    /** The N values of a decrypted plaintext (real parts then imaginary parts), divided by the scale. */
    public double[] decode(Plaintext pt) {
        double[][] c = encoder.decodeComplex(pt);
        double[] out = new double[valuesPerChunk];
        System.arraycopy(c[0], 0, out, 0, c[0].length);
        System.arraycopy(c[1], 0, out, c[0].length, c[1].length);
        return out;
    }

    /** The values of a plain chunk sum, divided by the scale. */
    public double[] decode(long[] sum, double scale) {
        double[] out = new double[sum.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = sum[i] / scale;
        }
        return out;
    }

    // ------------------------------------------------------------------ exact integers

    /** Balanced base-2^b digits of each value, D digits per value, as slot values (value-major). */
    public double[] integerDigits(BigInteger[] values, int digits) {
        double[] out = new double[values.length * digits];
        BigInteger base = BigInteger.ONE.shiftLeft(digitBits);
        BigInteger halfBase = BigInteger.ONE.shiftLeft(digitBits - 1);
        BigInteger limit = BigInteger.ONE.shiftLeft(digitBits * digits - 1);
        for (int i = 0; i < values.length; i++) {
            BigInteger v = values[i];
            if (v.abs().compareTo(limit) >= 0) {
                throw new IllegalArgumentException("integer " + v + " needs more than " + digits + " digits");
            }
            for (int d = 0; d < digits; d++) {
                BigInteger r = v.mod(base);
                if (r.compareTo(halfBase) >= 0) {
                    r = r.subtract(base);
                }
                out[i * digits + d] = r.doubleValue();
                v = v.subtract(r).shiftRight(digitBits);
            }
        }
        return out;
    }

    /**
     * Recombines summed digit slots (already divided by the integer scale) into exact integer sums; fails if any slot
     * is not within 0.25 of an integer (decryption noise larger than planned).
     */
    public BigInteger[] integersFromDigits(double[] slots, int count, int digits) {
        BigInteger[] out = new BigInteger[count];
        for (int i = 0; i < count; i++) {
            BigInteger v = BigInteger.ZERO;
            for (int d = digits - 1; d >= 0; d--) {
                double s = slots[i * digits + d];
                double r = Math.rint(s);
                if (Math.abs(s - r) > 0.25) {
                    throw new IllegalStateException("integer slot " + (i * digits + d) + " decrypted to " + s
                            + ", too far from an integer: decryption noise is larger than planned");
                }
                v = v.shiftLeft(digitBits).add(BigInteger.valueOf((long) r));
            }
            out[i] = v;
        }
        return out;
    }

    /** round(v · 2^FRACTION_BITS) exactly. */
    public static BigInteger fixedPoint(double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("value is not finite: " + v);
        }
        return new java.math.BigDecimal(v).multiply(java.math.BigDecimal.valueOf(1L << FRACTION_BITS))
                .setScale(0, java.math.RoundingMode.HALF_EVEN).toBigInteger();
    }

    public static double fromFixedPoint(BigInteger v) {
        return new java.math.BigDecimal(v).divide(java.math.BigDecimal.valueOf(1L << FRACTION_BITS)).doubleValue();
    }
}
