package org.glovebox.he.ckks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.glovebox.he.ring.Parallelism;
import org.junit.jupiter.api.Test;

/** Parallel execution (Parallelism.threads(2)) gives the same results as serial execution. */
class ParallelismTest {
    private static final Parallelism TWO = Parallelism.threads(2);

    @Test
    void oneSharedInstancePerThreadCount() {
        assertThat(Parallelism.threads(2)).isSameAs(Parallelism.threads(2));
        assertThat(Parallelism.threads(3)).isNotSameAs(Parallelism.threads(2));
        assertThat(Parallelism.threads(1)).isSameAs(Parallelism.SERIAL);
        assertThatThrownBy(() -> Parallelism.threads(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parallelEvaluatorIsBitIdenticalToSerialOnTheSmallRing() {
        checkBitIdentical(CkksFixture.small(), new int[] {1, -3, 17});
    }

    @Test
    void parallelEvaluatorIsBitIdenticalToSerialAtN14() {
        checkBitIdentical(CkksFixture.n14(), new int[] {1, -3, 1000});
    }

    private static void checkBitIdentical(CkksFixture f, int[] steps) {
        Evaluator serial = f.evaluator;
        Evaluator parallel = f.evaluator.withParallelism(TWO);
        assertThat(parallel.parallelism().threads()).isEqualTo(2);
        double[] x = Slots.random(f.slots(), 61);
        double[] y = Slots.random(f.slots(), 62);
        Ciphertext cx = f.encrypt(x);
        Ciphertext cy = f.encrypt(y);
        Ciphertext ms = serial.multiply(cx, cy);
        Ciphertext mp = parallel.multiply(cx, cy);
        EvaluatorSemanticsTest.assertSameCiphertext(mp, ms);
        EvaluatorSemanticsTest.assertSameCiphertext(parallel.relinearize(ms), serial.relinearize(ms));
        Ciphertext rs = serial.multiplyRelinRescale(cx, cy);
        EvaluatorSemanticsTest.assertSameCiphertext(parallel.multiplyRelinRescale(cx, cy), rs);
        for (int s : steps) {
            EvaluatorSemanticsTest.assertSameCiphertext(parallel.rotate(cx, s), serial.rotate(cx, s));
            EvaluatorSemanticsTest.assertSameCiphertext(parallel.rotate(rs, s), serial.rotate(rs, s));
        }
        Ciphertext[] hs = serial.rotateHoisted(cx, steps);
        Ciphertext[] hp = parallel.rotateHoisted(cx, steps);
        for (int i = 0; i < steps.length; i++) {
            EvaluatorSemanticsTest.assertSameCiphertext(hp[i], hs[i]);
        }
        EvaluatorSemanticsTest.assertSameCiphertext(parallel.conjugate(cx), serial.conjugate(cx));
        EvaluatorSemanticsTest.assertSameCiphertext(parallel.rescale(parallel.multiplyPlain(cx, f.encoder.encode(y))),
                serial.rescale(serial.multiplyPlain(cx, f.encoder.encode(y))));
        assertThat(f.bits(Slots.mul(x, y), parallel.multiplyRelinRescale(cx, cy))).isGreaterThan(24);
    }

    /**
     * Key switching recycles its transient limbs through a pool shared by every evaluator of a parameter set: many
     * relinearizations, single and hoisted rotations interleaved on four threads (serial and parallel evaluators, so
     * limbs move between operations and threads) must each give exactly the result computed alone beforehand.
     */
    @Test
    void recycledKeySwitchingLimbsNeverLeakBetweenConcurrentOperations() throws Exception {
        CkksFixture f = CkksFixture.small();
        int[] steps = {1, -3, 17};
        Ciphertext cx = f.encrypt(Slots.random(f.slots(), 81));
        Ciphertext cy = f.encrypt(Slots.random(f.slots(), 82));
        Ciphertext product = f.evaluator.multiply(cx, cy);
        Ciphertext relinearized = f.evaluator.relinearize(product);
        Ciphertext rotated = f.evaluator.rotate(cx, 1);
        Ciphertext[] hoisted = f.evaluator.rotateHoisted(cy, steps);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> jobs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Evaluator ev = t % 2 == 0 ? f.evaluator : f.evaluator.withParallelism(TWO);
                jobs.add(pool.submit(() -> {
                    for (int r = 0; r < 15; r++) {
                        EvaluatorSemanticsTest.assertSameCiphertext(ev.relinearize(product), relinearized);
                        EvaluatorSemanticsTest.assertSameCiphertext(ev.rotate(cx, 1), rotated);
                        Ciphertext[] h = ev.rotateHoisted(cy, steps);
                        for (int i = 0; i < steps.length; i++) {
                            EvaluatorSemanticsTest.assertSameCiphertext(h[i], hoisted[i]);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> j : jobs) {
                j.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void wholePipelineWithTwoThreadsDecryptsToTheSerialValues() {
        Parameters p = TestSupport.smallParams();
        KeyGenerator kg = new KeyGenerator(p, TWO);
        SecretKey sk = kg.generateSecretKey();
        PublicKey pk = kg.generatePublicKey(sk);
        RelinearizationKey rlk = kg.generateRelinearizationKey(sk);
        GaloisKeys gks = kg.generateGaloisKeys(sk, new int[] {3, -5}, true);
        Encoder enc = new Encoder(p, TWO);
        Encryptor encryptor = Encryptor.withPublicKey(pk).withParallelism(TWO);
        Evaluator ev = new Evaluator(p, rlk, gks, TWO);
        Decryptor dec = new Decryptor(sk);
        double[] x = Slots.random(p.maxSlots(), 71);
        double[] y = Slots.random(p.maxSlots(), 72);
        double[] im = Slots.random(p.maxSlots(), 73);
        Ciphertext cx = encryptor.encrypt(enc.encode(x));
        Ciphertext cy = Encryptor.withSecretKey(sk).withParallelism(TWO).encrypt(enc.encode(y));
        Ciphertext cz = encryptor.encrypt(enc.encode(x, im, p.maxSlots(), p.maxLevel(), p.defaultScale()));
        Encoder serialEnc = new Encoder(p);
        // the same computation, decoded serially, against float64
        assertThat(Slots.bits(x, null, serialEnc.decodeComplex(dec.decrypt(cx)))).isGreaterThan(24);
        assertThat(Slots.bits(Slots.mul(x, y), null, serialEnc.decodeComplex(dec.decrypt(ev.multiplyRelinRescale(cx, cy)))))
                .isGreaterThan(24);
        assertThat(Slots.bits(Slots.rotate(x, 3), null, serialEnc.decodeComplex(dec.decrypt(ev.rotate(cx, 3)))))
                .isGreaterThan(24);
        assertThat(Slots.bits(Slots.rotate(y, -5), null, serialEnc.decodeComplex(dec.decrypt(ev.rotate(cy, -5)))))
                .isGreaterThan(24);
        assertThat(Slots.bits(x, Slots.scale(im, -1), serialEnc.decodeComplex(dec.decrypt(ev.conjugate(cz)))))
                .isGreaterThan(24);
        // and the serial evaluator with the same (parallel-generated) keys gives identical ciphertexts
        Evaluator serial = new Evaluator(p, rlk, gks);
        EvaluatorSemanticsTest.assertSameCiphertext(ev.multiplyRelinRescale(cx, cy), serial.multiplyRelinRescale(cx, cy));
        EvaluatorSemanticsTest.assertSameCiphertext(ev.rotate(cx, 3), serial.rotate(cx, 3));
    }

    @Test
    void parallelEncoderGivesIdenticalPlaintextsAndDecodings() {
        Parameters p = TestSupport.smallParams();
        double[] x = Slots.random(p.maxSlots(), 81);
        Plaintext a = new Encoder(p).encode(x);
        Plaintext b = new Encoder(p, TWO).encode(x);
        for (int j = 0; j <= p.maxLevel(); j++) {
            assertThat(b.poly().limb(j)).isEqualTo(a.poly().limb(j));
        }
        assertThat(new Encoder(p, TWO).decode(a)).isEqualTo(new Encoder(p).decode(a));
    }

    @Test
    void oneEvaluatorUsedFromSeveralThreadsAtOnce() throws Exception {
        CkksFixture f = CkksFixture.small();
        double[] x = Slots.random(f.slots(), 91);
        Ciphertext cx = f.encrypt(x);
        Evaluator shared = new Evaluator(f.params, f.rlk, f.gks, TWO); // fresh caches, filled concurrently
        int[] steps = {1, 2, 3, 4, 5, 6, 7, 8, -1, -2, -3, -4};
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Ciphertext>> futures = new ArrayList<>();
            for (int s : steps) {
                futures.add(pool.submit(() -> shared.rotate(cx, s)));
            }
            for (int i = 0; i < steps.length; i++) {
                EvaluatorSemanticsTest.assertSameCiphertext(futures.get(i).get(), f.evaluator.rotate(cx, steps[i]));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void threadCountValidation() {
        assertThat(Parallelism.threads(1)).isSameAs(Parallelism.SERIAL);
        assertThat(Parallelism.SERIAL.threads()).isEqualTo(1);
        assertThat(Parallelism.SERIAL.toString()).isEqualTo("serial");
        assertThat(TWO.toString()).isEqualTo("2 threads");
        assertThat(Parallelism.allProcessors().threads()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThatThrownBy(() -> Parallelism.threads(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Parallelism.threads(-2)).isInstanceOf(IllegalArgumentException.class);
        int[] hits = new int[100];
        TWO.forEach(100, i -> hits[i]++);
        assertThat(hits).containsOnly(1);
    }
}
