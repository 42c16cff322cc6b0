package org.glovebox.ml;

import static org.assertj.core.api.Assertions.assertThat;

import org.glovebox.he.ckks.SecurityStandard;
import org.glovebox.ml.crypto.LevelScales;
import org.glovebox.ml.crypto.ScaleStableChain;
import org.glovebox.ml.lr.EncryptedLogisticRegression;
import org.junit.jupiter.api.Test;

/** The training set's primes are the documented construction, within the HE-standard bound, and scale-stable. */
class TrainingParametersTest {
    @Test
    void hardCodedPrimesAreTheDocumentedConstruction() {
        assertThat(TrainingParameters.CHAIN).containsExactly(ScaleStableChain.chainPrimes(16, 60, 40, 26));
        assertThat(TrainingParameters.SPECIAL).containsExactly(
                ScaleStableChain.specialPrimes(16, 59, 10, TrainingParameters.CHAIN));
        double logQP = 0;
        for (long q : TrainingParameters.CHAIN) {
            logQP += Math.log(q) / Math.log(2);
        }
        for (long p : TrainingParameters.SPECIAL) {
            logQP += Math.log(p) / Math.log(2);
        }
        assertThat(logQP).isLessThanOrEqualTo(SecurityStandard.maxLogQP128(16)).isGreaterThan(1680);
    }

    @Test
    void canonicalScalesStayAtTwoToTheForty() {
        // The same schedule LevelScales computes, on the raw primes (building the N = 2^16 set takes seconds).
        double s = Math.scalb(1.0, 40);
        for (int l = TrainingParameters.CHAIN.length - 1; l >= 1; l--) {
            s = s * s / TrainingParameters.CHAIN[l];
            assertThat(Math.abs(Math.log(s) / Math.log(2) - 40)).isLessThan(1e-3);
        }
        // An insecure test set of the same construction: the library agrees.
        var p = TrainingParameters.insecureForTesting(11, 7);
        assertThat(p.isInsecure()).isTrue();
        assertThat(LevelScales.of(p).maxDriftBits()).isLessThan(1e-2);
        assertThat(EncryptedLogisticRegression.maxIterations(p)).isEqualTo(7);
        assertThat(TrainingParameters.isTrainingSet(p)).isFalse();
    }

    @Test
    void depthGivesSevenIterations() {
        assertThat(EncryptedLogisticRegression.levelsNeeded(7)).isEqualTo(25);
        assertThat(TrainingParameters.CHAIN.length - 1 - EncryptedLogisticRegression.RESERVED_LEVELS)
                .isGreaterThanOrEqualTo(EncryptedLogisticRegression.levelsNeeded(7));
        assertThat(TrainingParameters.byName(null)).isNull();
        assertThat(TrainingParameters.byName("N14")).isNull();
    }

    @Test
    void bootstrappingSetIsSecureAndScaleStableBetweenBootstraps() {
        var bp = TrainingParameters.bootstrapping();
        var comp = bp.computationParameters();
        assertThat(comp.isInsecure()).isFalse();
        assertThat(bp.parameters().isInsecure()).isFalse();
        assertThat(bp.slots()).isEqualTo(comp.maxSlots());
        assertThat(comp.maxLevel()).isEqualTo(bp.outputLevel());
        assertThat(bp.levelsAfterBootstrap()).isGreaterThanOrEqualTo(9);
        // Training only goes down to the bootstrap's input level; 0.016 bits of drift over its ten 40-bit primes.
        assertThat(LevelScales.of(comp).maxDriftBits(bp.inputLevel())).isLessThan(0.05);
        assertThat(TrainingParameters.byName("Training-Bootstrap").sameAs(comp)).isTrue();
        assertThat(TrainingParameters.bootstrappingFor(comp)).contains(bp);
        assertThat(TrainingParameters.bootstrappingFor(bp.parameters())).isEmpty();
        var small = TrainingParameters.insecureBootstrappingForTesting(11, 6);
        assertThat(LevelScales.of(small.computationParameters()).maxDriftBits(small.inputLevel())).isLessThan(1e-2);
        assertThat(TrainingParameters.bootstrappingFor(small.computationParameters())).isEmpty();
    }
}
