package org.glovebox.he.ckks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The evaluator and its companions refuse operands that do not fit together, and say what differs. */
class EvaluatorMisuseTest {
    static CkksFixture f;
    static Parameters other;
    static CkksFixture o;
    static double[] x;
    static Ciphertext ct;

    @BeforeAll
    static void setUp() {
        f = CkksFixture.small();
        // same ring and primes, different default scale: a different parameter set
        other = Parameters.builder().logN(11).primes(f.params.qPrimes(), f.params.pPrimes()).logScale(30)
                .insecureForTestingOnly().build();
        o = CkksFixture.shared("small-other-scale", () -> other, 1);
        x = Slots.random(f.slots(), 31);
        ct = f.encrypt(x);
    }

    @Test
    void mismatchedLevels() {
        Ciphertext low = f.evaluator.dropLevel(ct, 3);
        int top = f.params.maxLevel();
        assertThatThrownBy(() -> f.evaluator.add(ct, low))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("add: levels differ (" + top + " vs 3)")
                .hasMessageContaining("dropLevel");
        assertThatThrownBy(() -> f.evaluator.sub(low, ct)).hasMessageContaining("sub: levels differ (3 vs " + top + ")");
        assertThatThrownBy(() -> f.evaluator.multiply(ct, low)).hasMessageContaining("multiply: levels differ");
        Plaintext lowPt = f.encoder.encode(x, 2, f.params.defaultScale());
        assertThatThrownBy(() -> f.evaluator.addPlain(ct, lowPt))
                .hasMessageContaining("plaintext level 2 is below the ciphertext level " + top)
                .hasMessageContaining("encode it at level " + top);
        assertThatThrownBy(() -> f.evaluator.multiplyPlain(ct, lowPt)).hasMessageContaining("multiplyPlain");
        // a plaintext above the ciphertext level is fine
        Plaintext topPt = f.encoder.encode(x);
        assertThat(f.bits(Slots.add(x, x), f.evaluator.addPlain(low, topPt))).isGreaterThan(20);
    }

    @Test
    void mismatchedScales() {
        Ciphertext other = f.encryptAt(x, f.params.maxLevel(), 0x1p41);
        assertThatThrownBy(() -> f.evaluator.add(ct, other))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("add: scales differ (2^40.0000 vs 2^41.0000)")
                .hasMessageContaining("rescale");
        assertThatThrownBy(() -> f.evaluator.sub(ct, other)).hasMessageContaining("sub: scales differ");
        Plaintext pt30 = f.encoder.encode(x, f.params.maxLevel(), 0x1p30);
        assertThatThrownBy(() -> f.evaluator.addPlain(ct, pt30)).hasMessageContaining("addPlain: scales differ");
        assertThatThrownBy(() -> f.evaluator.subPlain(ct, pt30)).hasMessageContaining("subPlain: scales differ");
        // after a multiplication without rescale the scales no longer match a fresh ciphertext
        Ciphertext sq = f.evaluator.relinearize(f.evaluator.square(ct));
        assertThatThrownBy(() -> f.evaluator.add(sq, ct)).hasMessageContaining("scales differ");
        // a relative difference below the tolerance (floating-point noise) is accepted
        Ciphertext nearly = f.encryptAt(x, f.params.maxLevel(), f.params.defaultScale() * (1 + 1e-12));
        assertThat(f.evaluator.add(ct, nearly).scale()).isEqualTo(ct.scale());
    }

    @Test
    void mismatchedSlotCounts() {
        Ciphertext sparse = f.pkEncryptor.encrypt(
                f.encoder.encode(Arrays.copyOf(x, 512), null, 512, f.params.maxLevel(), f.params.defaultScale()));
        assertThatThrownBy(() -> f.evaluator.add(ct, sparse))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("add: slot counts differ (1024 vs 512)");
        assertThatThrownBy(() -> f.evaluator.multiply(sparse, ct)).hasMessageContaining("slot counts differ (512 vs 1024)");
        Plaintext sparsePt = f.encoder.encode(Arrays.copyOf(x, 512), null, 512, f.params.maxLevel(), f.params.defaultScale());
        assertThatThrownBy(() -> f.evaluator.multiplyPlain(ct, sparsePt)).hasMessageContaining("slot counts differ");
        assertThatThrownBy(() -> f.evaluator.addPlain(ct, sparsePt)).hasMessageContaining("slot counts differ");
    }

    @Test
    void mismatchedParameterSets() {
        assertThat(other.sameAs(f.params)).isFalse();
        Ciphertext foreign = o.encrypt(x);
        Plaintext foreignPt = o.encoder.encode(x);
        assertThatThrownBy(() -> f.evaluator.add(ct, foreign))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("different parameter set");
        assertThatThrownBy(() -> f.evaluator.negate(foreign)).hasMessageContaining("different parameter set");
        assertThatThrownBy(() -> f.evaluator.rotate(foreign, 1)).hasMessageContaining("different parameter set");
        assertThatThrownBy(() -> f.evaluator.rescale(foreign)).hasMessageContaining("different parameter set");
        assertThatThrownBy(() -> f.evaluator.addPlain(ct, foreignPt))
                .hasMessageContaining("addPlain: plaintext belongs to a different parameter set");
        assertThatThrownBy(() -> f.decryptor.decrypt(foreign)).hasMessageContaining("different parameter set");
        assertThatThrownBy(() -> f.pkEncryptor.encrypt(foreignPt)).hasMessageContaining("different parameter set");
        assertThatThrownBy(() -> f.skEncryptor.encrypt(foreignPt)).hasMessageContaining("different parameter set");
        assertThatThrownBy(() -> f.encoder.decode(foreignPt)).hasMessageContaining("different parameter set");
        assertThatThrownBy(() -> new Evaluator(f.params, o.rlk, null))
                .hasMessageContaining("relinearization key belongs to a different parameter set");
        assertThatThrownBy(() -> new Evaluator(f.params, null, o.gks))
                .hasMessageContaining("Galois keys belong to a different parameter set");
        KeyGenerator kg = new KeyGenerator(f.params);
        assertThatThrownBy(() -> kg.generatePublicKey(o.sk)).hasMessageContaining("different parameter set");
        assertThatThrownBy(() -> kg.generateRelinearizationKey(o.sk)).hasMessageContaining("different parameter set");
        assertThatThrownBy(() -> kg.generateGaloisKeys(o.sk, new int[] {1}, false))
                .hasMessageContaining("different parameter set");
        assertThatThrownBy(() -> f.gks.merge(o.gks)).hasMessageContaining("different parameter sets");
    }

    @Test
    void rescaleAtLevelZeroFails() {
        Ciphertext bottom = f.evaluator.dropLevel(ct, 0);
        assertThatThrownBy(() -> f.evaluator.rescale(bottom))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("level 0");
        assertThatThrownBy(() -> f.evaluator.dropLevel(ct, f.params.maxLevel() + 1)).hasMessageContaining("dropLevel");
        assertThatThrownBy(() -> f.evaluator.dropLevel(bottom, 1)).hasMessageContaining("dropLevel");
        assertThatThrownBy(() -> f.evaluator.dropLevel(ct, -1)).hasMessageContaining("dropLevel");
    }

    @Test
    void rotationWithoutTheKeyFailsNamingTheStep() {
        Evaluator noGalois = new Evaluator(f.params, f.rlk, null);
        assertThatThrownBy(() -> noGalois.rotate(ct, 3))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("rotate by 3")
                .hasMessageContaining("no Galois keys");
        assertThatThrownBy(() -> noGalois.conjugate(ct)).hasMessageContaining("conjugate");
        // keys exist, but not for this step
        assertThatThrownBy(() -> f.evaluator.rotate(ct, 100))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rotate by 100")
                .hasMessageContaining("no Galois key for element " + GaloisElements.forRotation(100, f.params.n()));
        assertThatThrownBy(() -> f.evaluator.rotate(ct, -77)).hasMessageContaining("rotate by -77");
        assertThatThrownBy(() -> f.evaluator.rotateHoisted(ct, new int[] {1, 2, 77}))
                .hasMessageContaining("rotate by 77");
        assertThatThrownBy(() -> f.evaluator.innerSum(ct, 50, 3)).hasMessageContaining("rotate by");
        GaloisKeys onlyOne = new KeyGenerator(f.params).generateGaloisKeys(f.sk, new int[] {1}, false);
        assertThat(onlyOne.hasRotation(1)).isTrue();
        assertThat(onlyOne.hasRotation(2)).isFalse();
        assertThat(onlyOne.hasElement(GaloisElements.conjugation(f.params.n()))).isFalse();
        assertThatThrownBy(() -> new Evaluator(f.params, null, onlyOne).conjugate(ct))
                .hasMessageContaining("conjugate")
                .hasMessageContaining("no Galois key");
    }

    @Test
    void relinearizationWithoutTheKeyFails() {
        Evaluator keyless = new Evaluator(f.params);
        Ciphertext three = keyless.multiply(ct, ct);
        assertThat(three.size()).isEqualTo(3);
        assertThatThrownBy(() -> keyless.relinearize(three))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("relinearization key");
        assertThatThrownBy(() -> keyless.multiplyRelinRescale(ct, ct)).hasMessageContaining("relinearization key");
        // size-3 inputs are refused where they cannot be handled
        assertThatThrownBy(() -> f.evaluator.multiply(three, ct)).hasMessageContaining("relinearize");
        assertThatThrownBy(() -> f.evaluator.rotate(three, 1)).hasMessageContaining("relinearize");
        assertThatThrownBy(() -> f.evaluator.conjugate(three)).hasMessageContaining("relinearize");
        assertThatThrownBy(() -> f.evaluator.rotateHoisted(three, new int[] {1})).hasMessageContaining("relinearize");
        // but the evaluator without keys still adds, rescales and decrypts fine
        assertThat(f.bits(Slots.mul(x, x), keyless.rescale(f.evaluator.relinearize(three)))).isGreaterThan(20);
    }

    @Test
    void invalidArguments() {
        assertThatThrownBy(() -> f.evaluator.innerSum(ct, 0, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> f.evaluator.innerSum(ct, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        KeyGenerator kg = new KeyGenerator(f.params);
        for (int g : new int[] {0, 1, 2, 4, -5, 2 * f.params.n(), 2 * f.params.n() + 1}) {
            assertThatThrownBy(() -> kg.generateGaloisKeysForElements(f.sk, new int[] {g}))
                    .as("element %d", g)
                    .hasMessageContaining("invalid Galois element");
        }
        assertThatThrownBy(() -> f.evaluator.rescaleTo(ct, 1.0)).hasMessageContaining("too small");
    }
}
