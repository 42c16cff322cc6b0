package org.glovebox.ml;

import java.util.Locale;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.ckks.bootstrap.BootstrappingParameters;
import org.glovebox.ml.crypto.ScaleStableChain;
import org.glovebox.ml.lr.EncryptedLogisticRegression;

/**
 * The predefined 128-bit parameter set for encrypted training, {@code training}: N = 2^16, q_0 of 60 bits, 26
 * scale-stable primes of 40 bits (each the NTT prime nearest to its level's canonical scale, see
 * {@link ScaleStableChain}), default scale 2^40, and ten 59-bit special primes: log2(QP) = 1690 &lt;= 1747, the
 * HE-standard bound for N = 2^16 with a uniform ternary secret; two key-switching digits. It is built with
 * {@link Parameters#builder()} and validated by the library like every other set; there is no insecure switch.
 *
 * <p>Depth 26 gives 7 iterations of {@link EncryptedLogisticRegression} (4·7 - 3 = 25 levels) and keeps one level
 * for scoring with the encrypted model. 32768 slots per ciphertext hold 2048 records of up to 15 features (1024 of
 * up to 31).
 */
public final class TrainingParameters {
    /** The name {@code glovebox keygen --params} accepts. */
    public static final String NAME = "training";

    /** The name of the bootstrapping training set ({@link #bootstrapping()}), for any number of iterations. */
    public static final String BOOTSTRAP_NAME = "training-bootstrap";

    /**
     * The name of a tiny <b>insecure</b> bootstrapping set ({@link #insecureBootstrappingForTesting}(11, 9)) that
     * the CLI accepts only so its bootstrapped-training path can be tested in seconds; never for real data.
     */
    public static final String INSECURE_TEST_BOOTSTRAP_NAME = "insecure-test-training-bootstrap";

    private static volatile BootstrappingParameters insecureTestBootstrapping;

    /** The chain q_0 … q_26, as {@link ScaleStableChain#chainPrimes}(16, 60, 40, 26) builds it (tested). */
    static final long[] CHAIN = {
        1152921504606584833L, 1099540725761L, 1099538104321L, 1099537580033L, 1099490000897L, 1099498258433L,
        1099499175937L, 1099536138241L, 1099535220737L, 1099499569153L, 1099529060353L, 1099500617729L,
        1099502714881L, 1099526176769L, 1099503370241L, 1099525128193L, 1099523555329L, 1099522375681L,
        1099503894529L, 1099504549889L, 1099521458177L, 1099516870657L, 1099506515969L, 1099515691009L,
        1099507695617L, 1099510054913L, 1099512938497L,
    };

    /** Ten special primes of 59 bits, the largest NTT primes of that size. */
    static final long[] SPECIAL = {
        576460752300015617L, 576460752298835969L, 576460752298180609L, 576460752289923073L, 576460752289529857L,
        576460752289005569L, 576460752286253057L, 576460752284418049L, 576460752279306241L, 576460752273801217L,
    };

    static final int LOG_N = 16;
    static final int LOG_SCALE = 40;

    private static volatile Parameters secure;
    private static volatile BootstrappingParameters bootstrapping;

    private TrainingParameters() {
    }

    /** The 128-bit training set (built and validated once). */
    public static Parameters secure() {
        Parameters p = secure;
        if (p == null) {
            synchronized (TrainingParameters.class) {
                p = secure;
                if (p == null) {
                    p = Parameters.builder().logN(LOG_N).primes(CHAIN, SPECIAL).logScale(LOG_SCALE).build();
                    secure = p;
                }
            }
        }
        return p;
    }

    /**
     * The 128-bit set for training with bootstrapping, {@code training-bootstrap}: {@link BootstrappingParameters#n16()}
     * (N = 2^16, full packing, log2(QP) = 1746 with a uniform ternary secret, 10 levels between bootstraps). Training
     * runs on its {@link BootstrappingParameters#computationParameters() computation parameters} (the chain up to
     * level 13, whose 40-bit primes keep the scale stable to well under a bit) and bootstraps the model every two
     * iterations ({@link org.glovebox.ml.lr.BootstrappingRefresher}).
     */
    public static BootstrappingParameters bootstrapping() {
        BootstrappingParameters b = bootstrapping;
        if (b == null) {
            synchronized (TrainingParameters.class) {
                b = bootstrapping;
                if (b == null) {
                    b = BootstrappingParameters.n16();
                    bootstrapping = b;
                }
            }
        }
        return b;
    }

    /**
     * The parameters for a name {@code glovebox keygen --params} accepts: {@value #NAME} (any case) gives
     * {@link #secure()}, {@value #BOOTSTRAP_NAME} the computation parameters of {@link #bootstrapping()}; else null.
     */
    public static Parameters byName(String name) {
        String n = name == null ? "" : name.toLowerCase(Locale.ROOT);
        if (n.equals(INSECURE_TEST_BOOTSTRAP_NAME)) {
            return insecureTestBootstrapping().computationParameters();
        }
        return n.equals(NAME) ? secure() : n.equals(BOOTSTRAP_NAME) ? bootstrapping().computationParameters() : null;
    }

    /** The bootstrapping set behind a name {@link #byName} accepts, if it is one. */
    public static java.util.Optional<BootstrappingParameters> bootstrappingByName(String name) {
        String n = name == null ? "" : name.toLowerCase(Locale.ROOT);
        return n.equals(BOOTSTRAP_NAME) ? java.util.Optional.of(bootstrapping())
                : n.equals(INSECURE_TEST_BOOTSTRAP_NAME) ? java.util.Optional.of(insecureTestBootstrapping())
                : java.util.Optional.empty();
    }

    private static synchronized BootstrappingParameters insecureTestBootstrapping() {
        if (insecureTestBootstrapping == null) {
            insecureTestBootstrapping = insecureBootstrappingForTesting(11, 9);
        }
        return insecureTestBootstrapping;
    }

    /** The bootstrapping parameters whose computation parameters {@code params} are, among the predefined sets. */
    public static java.util.Optional<BootstrappingParameters> bootstrappingFor(Parameters params) {
        if (params.logN() == 16 && !params.isInsecure()
                && params.sameAs(bootstrapping().computationParameters())) {
            return java.util.Optional.of(bootstrapping());
        }
        if (params.isInsecure() && params.sameAs(insecureTestBootstrapping().computationParameters())) {
            return java.util.Optional.of(insecureTestBootstrapping());
        }
        return java.util.Optional.empty();
    }

    /** True if {@code params} is the training set (compared by primes and scale, without building the set). */
    public static boolean isTrainingSet(Parameters params) {
        return params.logN() == LOG_N && java.util.Arrays.equals(params.qPrimes(), CHAIN)
                && java.util.Arrays.equals(params.pPrimes(), SPECIAL)
                && params.defaultScale() == Math.scalb(1.0, LOG_SCALE) && !params.isInsecure();
    }

    /**
     * A small, fast, <b>insecure</b> set of the same structure for tests: ring degree 2^logN, a scale-stable chain
     * deep enough for {@code iterations} iterations (plus the reserved level), built with the insecure test switch.
     */
    public static Parameters insecureForTesting(int logN, int iterations) {
        int levels = EncryptedLogisticRegression.levelsNeeded(iterations) + EncryptedLogisticRegression.RESERVED_LEVELS;
        return ScaleStableChain.parameters(logN, 60, LOG_SCALE, levels, 60, 2, true);
    }

    /**
     * A small, fast, <b>insecure</b> bootstrapping set for tests: N = 2^logN, full packing, dense secret with
     * sparse-secret encapsulation as in the secure set, {@code levels} computation levels between bootstraps.
     */
    public static BootstrappingParameters insecureBootstrappingForTesting(int logN, int levels) {
        return BootstrappingParameters.insecureTestBuilder(logN, logN - 1)
                .computationPrimes(levels, LOG_SCALE)
                .ephemeralSecretWeight(32)
                .build();
    }

    /** Rotation steps of the Galois keys training and row-wise scoring need (every power of two below N/2). */
    public static int[] rotationSteps(Parameters params) {
        return EncryptedLogisticRegression.rotationSteps(params);
    }
}
