package org.glovebox.federated.crypto;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import org.glovebox.federated.learn.Evaluation;
import org.glovebox.federated.study.StudyDefinition;
import org.glovebox.federated.wire.WireException;
import org.glovebox.he.ckks.Ciphertext;
import org.glovebox.he.ckks.CompressedCiphertextSum;
import org.glovebox.he.ckks.Encoder;
import org.glovebox.he.ckks.Encryptor;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.ckks.Plaintext;
import org.glovebox.he.ckks.ProtocolAccess;
import org.glovebox.he.ckks.Serialization;
import org.glovebox.he.io.MalformedDataException;
import org.glovebox.he.io.ResidueCompression;
import org.glovebox.he.multiparty.KeyShareEncryptor;
import org.glovebox.he.multiparty.KeySwitch;
import org.glovebox.he.multiparty.MultipartySerialization;
import org.glovebox.he.multiparty.ProtocolType;
import org.glovebox.he.multiparty.Session;
import org.glovebox.he.multiparty.Share;
import org.glovebox.he.multiparty.Smudging;
import org.glovebox.he.ring.Parallelism;
import org.glovebox.he.ring.RnsPoly;

/**
 * How a study packs numbers into ciphertexts for aggregation, how it compresses them for transport, and how it reads
 * them back.
 *
 * <h2>Ring and packing</h2>
 * Aggregation only adds ciphertexts: no multiplication, no rescaling, so one ciphertext prime suffices. The ring is
 * N = 2^12 (default; {@code encryption.logN} 12 … 16) with a single 60-bit chain prime q and one special prime for
 * public-key encryption of min(60, 109 − 60 = 49) bits at N = 2^12 (log QP = 109, the HE-standard 128-bit bound) and
 * 60 bits above (log QP = 120). Every ciphertext is fully packed with N real numbers: N/2 complex slots, the first N/2
 * values in the real parts and the next N/2 in the imaginary parts. A training upload is one vector: the weighted
 * update, then the evaluation counts (in update units), so the counts fill the free slots of the last update
 * ciphertext instead of a ciphertext of their own. N = 2^12 wastes at most 4095 slots per upload (N = 2^13: 8191).
 *
 * <h2>Two encodings</h2>
 * <ul>
 *   <li><b>Model updates</b> (fixed point) at scale Δ_u. R = C·(1 + 8z·sqrt(k/m)) bounds every value of the
 *       aggregated update (C the clip norm, z the DP noise multiplier, k hospitals, m = max(t, minHospitals); the
 *       weights n_i / N_total sum to at most 1, so the clipped part has L2 norm ≤ C). What must stay below q/2 is a
 *       coefficient of the encoded chunk, not a slot value: the canonical embedding is sqrt(N/2) times a unitary map
 *       (real and imaginary parts of N/2 slots), so values of L2 norm ≤ C give coefficients ≤ sqrt(2/N)·C, and
 *       Gaussian values of standard deviation σ give coefficients of standard deviation sqrt(2/N)·σ. Hence
 *       Δ_u = 2^(⌊log q⌋ − 3)·sqrt(N/2)/R for ciphertexts (coefficients ≤ 2^(⌊log q⌋ − 3), the evaluation digits
 *       sharing the last chunk add at most sqrt(2)·2^(⌊log q⌋ − 4)), which is sqrt(N/2) = 2^5.5 finer than a
 *       per-value bound at N = 2^12. The plaintext mode carries 64-bit values and keeps the per-value bound,
 *       Δ_u = 2^(⌊log q⌋ − 3)/R.
 *   <li><b>Exact integers</b> (statistics and evaluation counts): an integer is split into D balanced digits of b bits,
 *       each encoded at a scale Δ_i ≥ 24 × the decryption noise, so that the sum of every digit over all hospitals
 *       rounds back exactly; the digits of the sum are recombined into the exact integer sum.
 * </ul>
 *
 * <h2>Transport compression and the noise budget</h2>
 * Uploads under key shares (every hospital present; see the section below) are their c_0 alone rounded to b_0 bits,
 * with the Gaussian error and that rounding as their only noise, below a public-key upload's; the smudging and widths
 * are sized for public-key uploads, the fall-back, so they cover both. Public-key uploads are sent as compressed
 * level-0 ciphertexts ({@link Serialization#writeCompressedCiphertext}): c_0 rounded to
 * b_0 bits and c_1 to b_1 bits by modulus switching, adding δ_0 + δ_1·s to the decryption, of variance V_c = Var(δ_0) +
 * N·(2k/3)·Var(δ_1) per coefficient and upload (k parties: the collective secret is a sum of k ternary shares). That
 * noise depends on the secret like the noise of a fresh encryption, so it counts in the ciphertext noise the smudging
 * must cover: σ_ct² = k·(σ_up² + V_c) + σ_fresh², σ_f = sqrt(N·Q)·σ_ct ({@link Smudging#forReleases}, Q releases),
 * where σ_up² = N·(2/3)·kσ² + σ² + N·(2k/3)·σ² is the fresh noise of an upload, encrypted over q alone ({@link
 * Encryptor#encryptCompressedWithoutSpecialPrimes}: half the transforms of an encryption through the special prime,
 * whose only gain, a smaller fresh noise, the compression rounds away: σ_up² is about 10^5 at N = 2^12, V_c about
 * 10^9), and σ_fresh² the rounding noise of the re-randomization. The released error of a value is then about
 * sqrt(σ_ct² + k·σ_f²)·sqrt(N/2) in encoded units. The widths are the smallest b_0 + b_1 that keep it at most
 * 2^−{@value #UPDATE_PRECISION_BITS}·R·Δ_u: the released error of every update value stays at most 2^−{@value
 * #UPDATE_PRECISION_BITS}·R (standard deviation, per value and round), and compression only spends precision below that
 * target. 2^−28·R leaves 2^8 = 256× for the 1e-6 relative agreement of encrypted and plaintext FedAvg (the largest of
 * 10^6 values is ~5.4σ, errors add over rounds, R may exceed the model's largest parameter). A study whose uncompressed
 * error is already above the target (very many hospitals, rounds and chunks) sends full-width ciphertexts.
 * Decryption shares are compressed to the width whose step is at most sqrt(12)/4·σ_f, i.e. rounding noise of at most
 * a quarter of the flooding noise's standard deviation; shares are post-processed after flooding, so this needs no
 * larger smudging. Compression is a public, deterministic function of what is sent: it shows the coordinator nothing
 * new.
 *
 * <p>The plaintext mode {@code INSECURE_PLAINTEXT_AGGREGATION_FOR_BENCHMARKS} uses the same layout and integer
 * encoding, and quantizes updates to its own grid (2^−(⌊log q⌋ − 3)·R, carried as 64-bit integers, about 2^−56·R),
 * so the two modes differ by the decryption noise (and that rounding, far below it).
 */
public final class AggregationScheme {
    private static final byte[] PLAIN_MAGIC = {'G', 'B', 'P', 'L'};
    /** Fraction bits of fixed-point statistics (sums, sums of squares, losses). */
    public static final int FRACTION_BITS = 20;
    /** Digits per value of the feature statistics (n, sums, sums of squares). */
    public static final int STATS_DIGITS = 6;
    /** Digits per value of the evaluation counts. */
    public static final int EVAL_DIGITS = 4;
    /** Integers of one evaluation: n_train, n_val, correct, Σ log loss, positive and negative score histograms. */
    public static final int EVAL_INTEGERS = 4 + 2 * Evaluation.BINS;
    /** Slot values of one evaluation (its integers in digits). */
    public static final int EVAL_VALUES = EVAL_INTEGERS * EVAL_DIGITS;
    /**
     * Target precision of a released update: decryption error (standard deviation per value and round, transport
     * compression included) at most 2^-UPDATE_PRECISION_BITS · R.
     */
    public static final int UPDATE_PRECISION_BITS = 28;

    private final Parameters params;
    private final Encoder encoder;
    private final Smudging smudging;
    private final boolean encrypted;
    private final int modelSize;
    private final int valuesPerChunk;
    private final double updateScale;
    private final double updateRange;
    private final double integerScale;
    private final int digitBits;
    private final double slotNoise;
    private final double ciphertextNoise;
    private final int c0Bits;
    private final int c1Bits;
    private final int shareBits;

    private AggregationScheme(StudyDefinition study, int modelSize) {
        if (modelSize < 1) {
            throw new IllegalArgumentException("model size must be positive, got " + modelSize);
        }
        this.params = parametersFor(study);
        this.encoder = new Encoder(params);
        this.encrypted = study.encrypted();
        this.modelSize = modelSize;
        this.valuesPerChunk = params.n();
        int parties = study.hospitals().size();
        int n = params.n();
        long q = params.q(0);
        int logQ = 63 - Long.numberOfLeadingZeros(q);
        // releases under the study's key: every round's chunks (update and evaluation), with retries, and statistics
        long releases = 4L * (study.rounds() + 2) * (chunks(modelSize) + 1) + 64;
        double freshVar = Math.pow(Smudging.rescaledNoiseStd(params, parties), 2);
        double secretVar = 2.0 * parties / 3; // per coefficient of the collective secret (sum of ternary shares)
        // uploads are encrypted over q alone: the collective public key's error is the sum of k Gaussian errors
        double uploadVar = Encryptor.noiseVarianceWithoutSpecialPrimes(params,
                parties * params.sigma() * params.sigma(), secretVar);
        // the released update: |value| ≤ R = C·(1 + 8z·sqrt(k/m)) (clipped weighted sum, L2 ≤ C, plus the Gaussian
        // DP shares of up to k participants, each of standard deviation zC/sqrt(m), within 8σ)
        double z = study.privacy().enabled() ? study.privacy().noiseMultiplier() : 0;
        this.updateRange = study.clipNorm() * (1 + 8 * z * Math.sqrt((double) parties / study.requiredPerRound()));
        // encrypted: what must stay below q is a coefficient of the encoded chunk, not a slot value; the encoding
        // is sqrt(N/2)·(unitary), so a chunk whose values have L2 norm ≤ C has coefficients ≤ sqrt(2/N)·C, and a
        // Gaussian of per-value σ has coefficients of σ·sqrt(2/N): Δ_u = 2^(⌊log q⌋ − 3) / (sqrt(2/N)·R).
        // Plain (64-bit integers): the per-value bound, Δ_u = 2^(⌊log q⌋ − 3) / R.
        double cipherScale = Math.scalb(1.0, logQ - 3) / updateRange * Math.sqrt(n / 2.0);
        this.updateScale = encrypted ? cipherScale : Math.scalb(1.0, logQ - 3) / updateRange;
        // widths, smudging and integer digits are those of the encrypted mode in both modes
        double target = Math.scalb(updateRange * cipherScale, -UPDATE_PRECISION_BITS);
        int full = ResidueCompression.modulusBits(q);
        int best0 = full;
        int best1 = full;
        for (int b1 = full; b1 >= 1; b1--) {
            for (int b0 = full; b0 >= 1; b0--) {
                double ctVar = ctVariance(parties, uploadVar, freshVar, secretVar, n, q, b0, b1);
                double sigmaF = Math.sqrt((double) n * releases * ctVar);
                // shares add at most 1/16 of the flooding variance (their width is chosen below)
                double slot = Math.sqrt((ctVar + parties * sigmaF * sigmaF * (1 + 1.0 / 16)) * n / 2);
                if (slot <= target && b0 + b1 < best0 + best1) {
                    best0 = b0;
                    best1 = b1;
                }
            }
        }
        this.c0Bits = best0;
        this.c1Bits = best1;
        double ctVar = ctVariance(parties, uploadVar, freshVar, secretVar, n, q, c0Bits, c1Bits);
        this.ciphertextNoise = Math.sqrt(ctVar);
        this.smudging = Smudging.forReleases(params, releases, ciphertextNoise);
        double sigmaF = smudging.standardDeviation();
        // rounding std of a share at most σ_f/4: step ≤ sqrt(12)/4·σ_f
        this.shareBits = ResidueCompression.widthForStep(q, Math.sqrt(12) / 4 * sigmaF);
        double shareVar = ResidueCompression.errorVariance(q, shareBits);
        this.slotNoise = Math.sqrt((ctVar + parties * (sigmaF * sigmaF + shareVar)) * n / 2.0);
        int logIntScale = (int) Math.ceil(Math.log(24 * slotNoise) / Math.log(2));
        this.integerScale = Math.scalb(1.0, Math.max(logIntScale, 1));
        int logParties = 32 - Integer.numberOfLeadingZeros(Math.max(parties - 1, 1));
        this.digitBits = logQ - 3 - Math.max(logIntScale, 1) - logParties;
        if (digitBits < 8) {
            throw new IllegalStateException("the ring leaves only " + digitBits + " bits per integer digit for "
                    + parties + " hospitals: use a larger prime or fewer hospitals");
        }
    }

    /**
     * Per-coefficient noise variance of an aggregate: k compressed uploads (the fresh noise of an encryption over q
     * alone plus the compression error δ_0 + δ_1·s, the latter of variance N·Var(s_j)·Var(δ_1)) and one
     * re-randomization (an encryption of zero through the special prime: rounding noise only).
     */
    private static double ctVariance(int k, double uploadVar, double freshVar, double secretVar, int n, long q,
            int b0, int b1) {
        double compression = ResidueCompression.errorVariance(q, b0)
                + n * secretVar * ResidueCompression.errorVariance(q, b1);
        return k * uploadVar + freshVar + k * compression;
    }

    /** The scheme of a study whose model has {@code modelSize} parameters (every party derives the same one). */
    public static AggregationScheme forStudy(StudyDefinition study, int modelSize) {
        return new AggregationScheme(study, modelSize);
    }

    /**
     * N = 2^logN, one 60-bit chain prime and one special prime of min(60, 109 − 60) bits at N = 2^12 (the HE-standard
     * bound) and 60 bits above; insecure small rings (tests only) use 60 + 60.
     */
    public static Parameters parametersFor(StudyDefinition study) {
        int special = study.insecureRing() ? 60
                : Math.min(60, org.glovebox.he.ckks.SecurityStandard.maxLogQP128(study.logN()) - 60);
        Parameters.Builder b = Parameters.builder().logN(study.logN()).primeBits(new int[] {60}, new int[] {special})
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

    /** The flooding noise of every decryption share (covers the compressed uploads' noise, see the class comment). */
    public Smudging smudging() {
        return smudging;
    }

    public boolean encrypted() {
        return encrypted;
    }

    /** N: numbers per chunk (one ciphertext). */
    public int valuesPerChunk() {
        return valuesPerChunk;
    }

    /** Parameters of the model this scheme was made for. */
    public int modelSize() {
        return modelSize;
    }

    /** Width in bits of the compressed c_0 of every upload chunk. */
    public int c0Bits() {
        return c0Bits;
    }

    /** Width in bits of the compressed c_1 of every upload chunk. */
    public int c1Bits() {
        return c1Bits;
    }

    /** Width in bits of every compressed decryption share coefficient. */
    public int shareBits() {
        return shareBits;
    }

    /** Expected per-coefficient noise standard deviation of an aggregate (compression included). */
    public double ciphertextNoise() {
        return ciphertextNoise;
    }

    /** Chunks of a training upload: the update and the evaluation digits in one vector. */
    public int trainingChunks() {
        return chunks(modelSize + EVAL_VALUES);
    }

    /** Chunks of an evaluation-only upload. */
    public int evaluationChunks() {
        return chunks(EVAL_VALUES);
    }

    public int chunks(int values) {
        return Math.max(1, (values + valuesPerChunk - 1) / valuesPerChunk);
    }

    /**
     * Δ_u, the scale of update chunks: 2^(⌊log q⌋ − 3)·sqrt(N/2)/R encrypted (bounded by the coefficients of the
     * encoded chunk), 2^(⌊log q⌋ − 3)/R plain (bounded by each 64-bit value).
     */
    public double updateScale() {
        return updateScale;
    }

    /** R = C·(1 + 8z·sqrt(hospitals/required)): bound on every value of an aggregated update. */
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

    // ------------------------------------------------------------------ the training upload

    /**
     * The values of a training upload at the update scale: the {@link #modelSize} update values, then the
     * {@link #EVAL_VALUES} evaluation digits converted to update units (digit · Δ_i / Δ_u, so that after encoding at
     * Δ_u they carry exactly digit · Δ_i, as an evaluation chunk would), filling the free slots of the last update
     * chunk.
     */
    public double[] trainingValues(double[] update, double[] evalDigits) {
        if (update.length != modelSize || evalDigits.length != EVAL_VALUES) {
            throw new IllegalArgumentException("a training upload holds " + modelSize + " update values and "
                    + EVAL_VALUES + " evaluation digits, got " + update.length + " and " + evalDigits.length);
        }
        double[] out = java.util.Arrays.copyOf(update, modelSize + EVAL_VALUES);
        double ratio = integerScale / updateScale;
        for (int i = 0; i < EVAL_VALUES; i++) {
            out[modelSize + i] = evalDigits[i] * ratio;
        }
        return out;
    }

    /** The update part of decoded training values (divided by the update scale). */
    public double[] updateOf(double[] trainingValues) {
        return java.util.Arrays.copyOf(trainingValues, modelSize);
    }

    /** The evaluation digit sums of decoded training values, back in integer units (for {@link #integersFromDigits}). */
    public double[] evaluationDigitsOf(double[] trainingValues) {
        double[] out = new double[EVAL_VALUES];
        double ratio = updateScale / integerScale;
        for (int i = 0; i < EVAL_VALUES; i++) {
            out[i] = trainingValues[modelSize + i] * ratio;
        }
        return out;
    }

    // ------------------------------------------------------------------ encoding one chunk

    /**
     * One chunk of {@code values} (from {@code from}, at most N values) at {@code scale}: a compressed ciphertext
     * (widths {@link #c0Bits}, {@link #c1Bits}) or plain quantized values.
     */
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
        double[][] reIm = slots(values, from);
        // over q alone: the compression rounds away 10^4 times the fresh noise this saves, at half the transforms
        return enc.encryptCompressedWithoutSpecialPrimes(encoder, reIm[0], reIm[1], valuesPerChunk / 2, scale, c0Bits,
                c1Bits);
    }

    /** The N/2 complex slots of one chunk: its first N/2 values in the real parts, the next N/2 in the imaginary. */
    private double[][] slots(double[] values, int from) {
        int n = Math.min(valuesPerChunk, values.length - from);
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
        return new double[][] {re, im};
    }

    // ------------------------------------------------------------------ uploads under key shares

    /*
     * When every enrolled hospital takes part, a hospital encrypts its upload under its own additive key share s_i with
     * a mask a common to all and expanded from a public seed (KeyShareEncryptor): it sends c_0 = −a·s_i + e + Δm alone,
     * about half the bytes of a public-key upload at one transform instead of three, and the sum of all N uploads with
     * mask a is a ciphertext under the collective secret. The sum over fewer hospitals is not (it carries a·s_j of the
     * missing ones), and decrypting a would expose a late upload, so the coordinator decrypts such a collection only
     * when all N are in and otherwise collects public-key uploads instead (Coordinator).
     */

    /**
     * The seed of the common mask of one chunk of a key-share collection: SHA-256 of a domain tag, the session id, the
     * round, the collection attempt and the chunk, so that no mask serves two collections.
     */
    public static byte[] uploadMaskSeed(byte[] sessionId, int round, int attempt, int chunk) {
        try {
            java.security.MessageDigest d = java.security.MessageDigest.getInstance("SHA-256");
            d.update("glovebox upload mask v1".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            d.update(sessionId);
            d.update(ByteBuffer.allocate(12).putInt(round).putInt(attempt).putInt(chunk).array());
            return d.digest();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }

    /** One chunk of {@code values} (from {@code from}) at {@code scale} encrypted under a key share: c_0 alone. */
    public byte[] encodeKeyShareChunk(KeyShareEncryptor enc, byte[] maskSeed, double[] values, int from,
            double scale) {
        double[][] reIm = slots(values, from);
        return enc.encryptCompressed(maskSeed, encoder, reIm[0], reIm[1], valuesPerChunk / 2, scale, c0Bits);
    }

    /** Whether a chunk read by {@link #readChunk} is a key-share upload (c_0 alone) rather than a whole ciphertext. */
    public boolean isKeyShareChunk(Object chunk) {
        return chunk instanceof CompressedCiphertextSum c && c.maskTerms() == 0;
    }

    /** The aggregate ciphertext (Σ c_0, a) of a sum of key-share uploads with the mask of {@code maskSeed}. */
    public Ciphertext keyShareAggregate(Object sum, byte[] maskSeed) {
        CompressedCiphertextSum c = (CompressedCiphertextSum) sum;
        RnsPoly c0 = c.c0InCoefficientForm();
        params.ringQ().ntt(0).forward(c0.limb(0));
        return ProtocolAccess.ciphertext(params, new RnsPoly[] {c0, KeyShareEncryptor.commonMask(params, maskSeed)}, 0,
                c.scale(), c.slots());
    }

    /**
     * (0, a) for the common mask a of {@code maskSeed} at {@code scale}: what a decrypting hospital makes its share for
     * when the aggregate is a sum of key-share uploads (it expands the mask itself instead of receiving it).
     */
    public Ciphertext keyShareMask(byte[] maskSeed, double scale) {
        return maskCiphertext(KeyShareEncryptor.commonMask(params, maskSeed), scale);
    }

    /** The aggregate ciphertext of a sum of encrypted chunks ({@link #readChunk}, {@link #add}). */
    public Ciphertext aggregateCiphertext(Object sum) {
        return ((CompressedCiphertextSum) sum).toCiphertext();
    }

    /** Size of an encrypted upload chunk. */
    public int chunkBytes() {
        return Serialization.compressedCiphertextBytes(params, c0Bits, c1Bits);
    }

    private static long quantize(double v, double scale) {
        double x = Math.rint(v * scale);
        if (!(Math.abs(x) < 0x1p62)) {
            throw new IllegalArgumentException("value " + v + " is outside the encodable range");
        }
        return (long) x;
    }

    /**
     * A validated upload chunk: a compressed level-0 ciphertext of exactly the study's widths at the expected scale, or
     * a key-share upload (its c_0 alone, {@link #isKeyShareChunk}), or plain quantized values.
     */
    public Object readChunk(byte[] data, double expectedScale) throws WireException {
        if (encrypted) {
            // summed in coefficient form, where the compressed format is: transformed once per aggregate chunk
            CompressedCiphertextSum ct = new CompressedCiphertextSum(params, c0Bits, c1Bits);
            try {
                ct.add(data); // the format itself fixes size 2 and level 0
            } catch (MalformedDataException e) {
                throw new WireException("malformed ciphertext: " + e.getMessage(), e);
            }
            if (ct.messageTerms() != 1) {
                throw new WireException("expected a ciphertext or a key-share upload (c_0), found a mask alone");
            }
            if (ct.slots() != valuesPerChunk / 2 || ct.scale() != expectedScale) {
                throw new WireException("ciphertext has the wrong shape (slots " + ct.slots() + ", scale 2^"
                        + Math.log(ct.scale()) / Math.log(2) + "), expected a fresh level-0 ciphertext of "
                        + valuesPerChunk / 2 + " slots at scale 2^" + Math.log(expectedScale) / Math.log(2));
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

    /**
     * Sum of two chunks read by {@link #readChunk}: encrypted, {@code b} is added into {@code a} (a running sum the
     * caller owns) and {@code a} returned; plain, a new exact 64-bit sum.
     */
    public Object add(Object a, Object b) {
        if (a == null) {
            return b;
        }
        if (a instanceof CompressedCiphertextSum x && b instanceof CompressedCiphertextSum y) {
            x.add(y); // a is the caller's running sum
            return x;
        }
        long[] x = (long[]) a;
        long[] y = (long[]) b;
        long[] z = new long[x.length];
        for (int i = 0; i < z.length; i++) {
            z[i] = Math.addExact(x[i], y[i]);
        }
        return z;
    }

    // ------------------------------------------------------------------ the mask c_1 of an aggregate

    /*
     * A decryption share h_i = c_1·s_i + e_i depends on the aggregate (c_0, c_1) only through its mask c_1, so a
     * decrypting hospital receives c_1 alone (half the bytes of the ciphertext) and makes its share for the ciphertext
     * (0, c_1); the coordinator combines the shares for the same (0, c_1), which yields c_1·s + Σe_i, and adds c_0.
     * The share is bound to (0, c_1) (level, scale, slots, mask): a hospital's guard against a second share for the
     * same input is then keyed on the mask, which is what a second share would leak through. Shares stay in
     * coefficient form end to end, the form their compression needs: a hospital adds its flooding noise after c_1·s_i
     * is transformed back (KeySwitch#generateShareInCoefficientForm), and the coordinator sums the shares and c_0 as
     * received (the sum of the uploads is in coefficient form too), then decodes: no transform between the shares and
     * the released values.
     */

    /**
     * The mask c_1 of a level-0 aggregate ciphertext as it is sent to decrypting hospitals: one polynomial at the
     * ciphertext's level, scale and slot count, at full width, in the HE plaintext container (it is not a plaintext).
     */
    public byte[] maskToBytes(Ciphertext aggregate) {
        if (aggregate.level() != 0 || aggregate.size() != 2) {
            throw new IllegalArgumentException("an aggregate is a level-0 ciphertext of size 2");
        }
        return Serialization.toBytes(ProtocolAccess.plaintext(params, ProtocolAccess.ciphertextPart(aggregate, 1), 0,
                aggregate.scale(), aggregate.slots()));
    }

    /**
     * Reads a mask written by {@link #maskToBytes}: the study's parameters, level 0, full packing; returns the
     * ciphertext (0, c_1) a hospital makes its decryption share for.
     */
    public Ciphertext readMask(byte[] data) throws WireException {
        Plaintext m;
        try {
            m = Serialization.plaintextFromBytes(data, params);
        } catch (MalformedDataException e) {
            throw new WireException("malformed aggregate mask: " + e.getMessage(), e);
        }
        if (m.level() != 0 || m.slots() != valuesPerChunk / 2) {
            throw new WireException("aggregate mask at level " + m.level() + " with " + m.slots() + " slots, expected"
                    + " level 0 and " + valuesPerChunk / 2 + " slots");
        }
        return maskCiphertext(ProtocolAccess.plaintextPoly(m), m.scale());
    }

    /** (0, c_1) of an aggregate: the ciphertext the decryption shares are made and combined for. */
    public Ciphertext maskOf(Ciphertext aggregate) {
        return maskCiphertext(ProtocolAccess.ciphertextPart(aggregate, 1), aggregate.scale());
    }

    private Ciphertext maskCiphertext(RnsPoly c1, double scale) {
        return ProtocolAccess.ciphertext(params, new RnsPoly[] {params.ringQ().newPoly(1), c1}, 0, scale,
                valuesPerChunk / 2);
    }

    /**
     * The N values of an aggregate (divided by its scale) from the sum of its decryption shares: the shares were made
     * for the mask (0, c_1) ({@link #maskOf}) and read in coefficient form ({@link #readShare}), so their sum is
     * c_1·s + Σe_i in coefficient form ({@link KeySwitch#combinedSharesInCoefficientForm}, which checks that they were
     * made for this mask by exactly the active set); adding c_0 in coefficient form gives the plaintext's coefficients,
     * decoded without a transform. {@code c0Coefficients} is the aggregate's c_0 in coefficient form when the caller has
     * it (the sum of the uploads is in that form), null to transform it back from the ciphertext.
     *
     * @throws IllegalArgumentException if the shares do not belong to this aggregate or are incomplete
     */
    public double[] decrypt(Ciphertext aggregate, RnsPoly c0Coefficients, KeySwitch ks, Share sharesSum) {
        RnsPoly m = ks.combinedSharesInCoefficientForm(maskOf(aggregate), sharesSum);
        RnsPoly c0 = c0Coefficients;
        if (c0 == null) {
            c0 = ProtocolAccess.ciphertextPart(aggregate, 0).copy();
            params.ringQ().intt(c0, Parallelism.SERIAL);
        }
        params.ringQ().add(m, c0, m);
        return values(encoder.decodeComplexFromCoefficients(m, aggregate.scale(), aggregate.slots()));
    }

    /** The aggregate's c_0 in coefficient form if the sum holds it (a sum of compressed uploads), else null. */
    public RnsPoly c0Coefficients(Object sum) {
        return sum instanceof CompressedCiphertextSum c ? c.c0InCoefficientForm() : null;
    }

    // ------------------------------------------------------------------ decryption shares

    /** A decryption share compressed to {@link #shareBits} bits per coefficient. */
    public byte[] shareToBytes(Share share) {
        return MultipartySerialization.toCompressedBytes(share, shareBits);
    }

    /**
     * Reads a decryption share compressed to exactly this study's width, for the session, in coefficient form as it was
     * sent: shares are summed and combined with c_0 without a transform ({@link #decrypt}).
     */
    public Share readShare(byte[] data, Session session) throws WireException {
        try {
            return MultipartySerialization.compressedShareCoefficientsFromBytes(data, session,
                    ProtocolType.KEY_SWITCH, 1, shareBits);
        } catch (MalformedDataException e) {
            throw new WireException("malformed " + ProtocolType.KEY_SWITCH + " share: " + e.getMessage(), e);
        }
    }

    /** The N values of decoded slots (real parts then imaginary parts). */
    private double[] values(double[][] c) {
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
