package org.glovebox.bench;

import java.util.SplittableRandom;
import org.glovebox.he.ckks.Ciphertext;
import org.glovebox.he.ckks.Decryptor;
import org.glovebox.he.ckks.Encoder;
import org.glovebox.he.ckks.Encryptor;
import org.glovebox.he.ckks.Evaluator;
import org.glovebox.he.ckks.GaloisKeys;
import org.glovebox.he.ckks.KeyGenerator;
import org.glovebox.he.ckks.ParameterSets;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.ckks.Plaintext;
import org.glovebox.he.ckks.PublicKey;
import org.glovebox.he.ckks.RelinearizationKey;
import org.glovebox.he.ckks.SecretKey;
import org.glovebox.he.ring.Parallelism;

/**
 * Benchmarks fork with a pre-touched 2 GB initial heap ({@code -Xms2g -XX:+AlwaysPreTouch}) so that first-touch page
 * faults of a growing heap, which are expensive in a VM, do not land in the measurements.
 *
 * <p>The objects every CKKS benchmark needs, built once per benchmark fork: parameters, keys (only those asked for),
 * encoder/encryptor/decryptor/evaluator and a few fresh ciphertexts at the top level.
 */
final class CkksFixture {
    /** Rotation steps used by the hoisted-rotation benchmark. */
    static final int[] HOISTED_STEPS = {1, 2, 3, 4, 5, 6, 7, 8};

    final Parameters params;
    final KeyGenerator keyGen;
    final SecretKey sk;
    final PublicKey pk;
    final RelinearizationKey rlk;
    final GaloisKeys gks;
    final Encoder encoder;
    final Encryptor encryptorPk;
    final Encryptor encryptorSk;
    final Decryptor decryptor;
    final Evaluator evaluator;
    final double[] values;
    final Plaintext pt;
    final Ciphertext ct1;
    final Ciphertext ct2;

    /**
     * @param rotationSteps Galois keys to generate (empty for none)
     * @param relin whether to generate the relinearization key
     */
    CkksFixture(String setName, boolean relin, int[] rotationSteps, Parallelism par) {
        params = ParameterSets.byName(setName);
        keyGen = new KeyGenerator(params);
        sk = keyGen.generateSecretKey();
        pk = keyGen.generatePublicKey(sk);
        rlk = relin ? keyGen.generateRelinearizationKey(sk) : null;
        gks = rotationSteps.length > 0 ? keyGen.generateGaloisKeys(sk, rotationSteps, false) : null;
        encoder = new Encoder(params);
        encryptorPk = Encryptor.withPublicKey(pk);
        encryptorSk = Encryptor.withSecretKey(sk);
        decryptor = new Decryptor(sk);
        evaluator = new Evaluator(params, rlk, gks).withParallelism(par);
        values = randomValues(params.maxSlots(), 42);
        pt = encoder.encode(values);
        ct1 = encryptorPk.encrypt(pt);
        ct2 = encryptorPk.encrypt(encoder.encode(randomValues(params.maxSlots(), 43)));
    }

    static double[] randomValues(int count, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[count];
        for (int i = 0; i < count; i++) {
            v[i] = r.nextDouble(-1, 1);
        }
        return v;
    }
}
