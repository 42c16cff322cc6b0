package org.glovebox.he.ckks;

import static org.assertj.core.api.Assertions.assertThat;

import org.glovebox.he.ring.RnsPoly;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Exact (bit-level) properties of evaluator operations, on the small insecure ring. */
class EvaluatorSemanticsTest {
    static CkksFixture f;
    static double[] x;
    static double[] y;
    static Ciphertext cx;
    static Ciphertext cy;

    @BeforeAll
    static void setUp() {
        f = CkksFixture.small();
        x = Slots.random(f.slots(), 51);
        y = Slots.random(f.slots(), 52);
        cx = f.encrypt(x);
        cy = f.skEncryptor.encrypt(f.encoder.encode(y));
    }

    static void assertSameCiphertext(Ciphertext a, Ciphertext b) {
        assertThat(a.size()).isEqualTo(b.size());
        assertThat(a.level()).isEqualTo(b.level());
        assertThat(a.scale()).isEqualTo(b.scale());
        assertThat(a.slots()).isEqualTo(b.slots());
        for (int i = 0; i < a.size(); i++) {
            for (int j = 0; j <= a.level(); j++) {
                assertThat(a.part(i).limb(j)).as("part %d limb %d", i, j).isEqualTo(b.part(i).limb(j));
            }
        }
    }

    private static RnsPoly[] snapshot(Ciphertext c) {
        RnsPoly[] s = new RnsPoly[c.size()];
        for (int i = 0; i < c.size(); i++) {
            s[i] = c.part(i).copy();
        }
        return s;
    }

    @Test
    void multiplicationIsExactlyCommutative() {
        assertSameCiphertext(f.evaluator.multiply(cx, cy), f.evaluator.multiply(cy, cx));
        assertSameCiphertext(f.evaluator.multiplyRelinRescale(cx, cy), f.evaluator.multiplyRelinRescale(cy, cx));
        assertSameCiphertext(f.evaluator.add(cx, cy), f.evaluator.add(cy, cx));
    }

    @Test
    void operationsLeaveTheirInputsUnchanged() {
        RnsPoly[] before = snapshot(cx);
        f.evaluator.rescale(f.evaluator.relinearize(f.evaluator.multiply(cx, cx)));
        f.evaluator.rotate(cx, 3);
        f.evaluator.rotateHoisted(cx, new int[] {1, 2});
        f.evaluator.conjugate(cx);
        f.evaluator.addConst(cx, 1.5);
        f.evaluator.multiplyConst(cx, 0.5);
        f.evaluator.multiplyInteger(cx, 7);
        f.evaluator.addPlain(cx, f.encoder.encode(y));
        f.evaluator.negate(cx);
        f.evaluator.dropLevel(cx, 1);
        f.evaluator.innerSum(cx, 1, 8);
        Ciphertext three = f.evaluator.multiply(cx, cx);
        RnsPoly[] threeBefore = snapshot(three);
        f.evaluator.relinearize(three);
        f.evaluator.add(three, f.evaluator.relinearize(three));
        for (int i = 0; i < cx.size(); i++) {
            for (int j = 0; j <= cx.level(); j++) {
                assertThat(cx.part(i).limb(j)).isEqualTo(before[i].limb(j));
            }
        }
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j <= three.level(); j++) {
                assertThat(three.part(i).limb(j)).isEqualTo(threeBefore[i].limb(j));
            }
        }
    }

    @Test
    void hoistedRotationsEqualSingleRotationsBitForBit() {
        int[] steps = {1, -1, 5, 0, 40, -40, 17};
        Ciphertext[] hoisted = f.evaluator.rotateHoisted(cx, steps);
        for (int i = 0; i < steps.length; i++) {
            assertSameCiphertext(hoisted[i], f.evaluator.rotate(cx, steps[i]));
        }
    }

    @Test
    void rotationStepsAreTakenModuloTheSlotCount() {
        int slots = f.slots();
        assertThat(GaloisElements.forRotation(3 + slots, f.params.n())).isEqualTo(GaloisElements.forRotation(3, f.params.n()));
        assertThat(GaloisElements.forRotation(-1, f.params.n())).isEqualTo(GaloisElements.forRotation(slots - 1, f.params.n()));
        assertSameCiphertext(f.evaluator.rotate(cx, 3 + slots), f.evaluator.rotate(cx, 3));
        assertThat(GaloisElements.conjugation(f.params.n())).isEqualTo(2 * f.params.n() - 1);
        assertThat(GaloisElements.powerOfTwoSteps(16)).containsExactly(1, 2, 4, 8);
    }

    @ParameterizedTest(name = "batch={0}, count={1}")
    @CsvSource({"1, 1", "1, 2", "1, 5", "2, 7", "3, 10", "1, 1024", "32, 32", "5, 13"})
    void innerSumNeedsExactlyTheAdvertisedSteps(int batch, int count) {
        int[] steps = Evaluator.innerSumSteps(batch, count);
        GaloisKeys only = new KeyGenerator(f.params).generateGaloisKeys(f.sk, steps, false);
        Evaluator ev = new Evaluator(f.params, f.rlk, only);
        Ciphertext s = ev.innerSum(cx, batch, count);
        double bits = f.bits(Slots.innerSum(x, batch, count), s);
        assertThat(bits).as("innerSum(%d, %d)", batch, count).isGreaterThan(22 - Slots.log2(count) / 2);
    }

    @Test
    void scalesAreTrackedExactly() {
        long qTop = f.params.q(f.params.maxLevel());
        Ciphertext m = f.evaluator.multiplyRelinRescale(cx, cy);
        assertThat(m.scale()).isEqualTo(cx.scale() * cy.scale() / qTop);
        Ciphertext mc = f.evaluator.multiplyConst(cx, 0.25, 0x1p20);
        assertThat(mc.scale()).isEqualTo(cx.scale() * 0x1p20);
        assertThat(f.bits(Slots.scale(x, 0.25), mc)).isGreaterThan(20);
        Ciphertext aligned = f.evaluator.rescaleTo(m, 0x1p39);
        assertThat(aligned.scale()).isEqualTo(0x1p39);
        assertThat(aligned.level()).isEqualTo(m.level() - 1);
        assertThat(f.bits(Slots.mul(x, y), aligned)).isGreaterThan(20);
        // after rescaleTo a ciphertext can be added to one with the target scale
        Ciphertext other = f.encryptAt(y, aligned.level(), 0x1p39);
        assertThat(f.bits(Slots.add(Slots.mul(x, y), y), f.evaluator.add(aligned, other))).isGreaterThan(20);
    }

    @Test
    void sizeThreeCiphertextsAddAndDecrypt() {
        Ciphertext three = f.evaluator.multiply(cx, cy);
        Ciphertext z = f.encryptAt(x, three.level(), three.scale());
        Ciphertext sum = f.evaluator.add(three, z);
        assertThat(sum.size()).isEqualTo(3);
        assertThat(f.bits(Slots.add(Slots.mul(x, y), x), sum)).isGreaterThan(22);
        Ciphertext diff = f.evaluator.sub(z, three);
        assertThat(f.bits(Slots.sub(x, Slots.mul(x, y)), diff)).isGreaterThan(22);
        assertThat(f.evaluator.relinearize(cx)).isSameAs(cx);
    }

    @Test
    void multiplyIntegerByZeroAndOne() {
        assertSameCiphertext(f.evaluator.multiplyInteger(cx, 1), cx);
        assertThat(f.bits(Slots.zeros(f.slots()), f.evaluator.multiplyInteger(cx, 0))).isGreaterThan(28);
        assertThat(f.bits(Slots.scale(x, -1), f.evaluator.multiplyInteger(cx, -1))).isGreaterThan(24);
        assertSameCiphertext(f.evaluator.multiplyInteger(cx, -1), f.evaluator.negate(cx));
    }

    /**
     * multiplyInteger is an exact product by any long k, also beyond 2^53 where a double would round it. Exactness is
     * visible without precision loss: ct·(2^53 + 1) - ct·2^53 must be ct itself.
     */
    @Test
    void multiplyIntegerIsExactForLargeK() {
        long k = (1L << 53) + 1;
        Ciphertext a = f.evaluator.multiplyInteger(cx, k);
        Ciphertext b = f.evaluator.multiplyInteger(cx, k - 1);
        assertThat(f.bits(x, f.evaluator.sub(a, b))).isGreaterThan(24);
    }

    @Test
    void multiplyIntegerIsExactUpToTwoToThe53() {
        long k = 1L << 52;
        Ciphertext a = f.evaluator.multiplyInteger(cx, k + 1);
        Ciphertext b = f.evaluator.multiplyInteger(cx, k);
        assertThat(f.bits(x, f.evaluator.sub(a, b))).isGreaterThan(24);
    }

    @Test
    void secretKeyCiphertextsAreSeededAndPublicKeyCiphertextsAreNot() {
        Ciphertext sk = f.skEncryptor.encrypt(f.encoder.encode(x, 2, f.params.defaultScale()));
        byte[] seed = sk.c1Seed();
        assertThat(seed).hasSize(32);
        RnsPoly a = Encryptor.uniformAtLevel(f.params, seed, 2);
        for (int j = 0; j <= 2; j++) {
            assertThat(sk.part(1).limb(j)).isEqualTo(a.limb(j));
        }
        assertThat(cx.c1Seed()).isNull();
        assertThat(f.evaluator.add(sk, sk).c1Seed()).isNull();
    }

    @Test
    void encryptionsOfZeroDecryptToZeroAtEveryLevel() {
        for (int level = 0; level <= f.params.maxLevel(); level++) {
            for (Encryptor e : new Encryptor[] {f.pkEncryptor, f.skEncryptor}) {
                Ciphertext z = e.encryptZero(level, f.params.defaultScale(), f.slots());
                assertThat(z.level()).isEqualTo(level);
                assertThat(f.bits(Slots.zeros(f.slots()), z)).isGreaterThan(26);
            }
        }
    }

    @Test
    void twoEncryptionsOfTheSameValueDiffer() {
        Plaintext pt = f.encoder.encode(x);
        Ciphertext a = f.pkEncryptor.encrypt(pt);
        Ciphertext b = f.pkEncryptor.encrypt(pt);
        assertThat(a.part(1).limb(0)).isNotEqualTo(b.part(1).limb(0));
        Ciphertext c = f.skEncryptor.encrypt(pt);
        Ciphertext d = f.skEncryptor.encrypt(pt);
        assertThat(c.c1Seed()).isNotEqualTo(d.c1Seed());
    }
}
