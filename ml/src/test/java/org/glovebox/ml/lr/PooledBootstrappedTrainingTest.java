package org.glovebox.ml.lr;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.glovebox.data.FeatureMatrix;
import org.glovebox.he.ckks.Ciphertext;
import org.glovebox.he.ckks.Encoder;
import org.glovebox.he.ckks.Encryptor;
import org.glovebox.he.ckks.Evaluator;
import org.glovebox.he.ckks.GaloisKeys;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.ckks.ProtocolAccess;
import org.glovebox.he.ckks.PublicKey;
import org.glovebox.he.ckks.bootstrap.Bootstrapper;
import org.glovebox.he.ckks.bootstrap.BootstrappingKeys;
import org.glovebox.he.ckks.bootstrap.BootstrappingParameters;
import org.glovebox.he.ckks.bootstrap.EncapsulationKeys;
import org.glovebox.he.multiparty.GaloisKeyGen;
import org.glovebox.he.multiparty.KeySwitch;
import org.glovebox.he.multiparty.SecretKeyShare;
import org.glovebox.he.multiparty.Session;
import org.glovebox.he.multiparty.Share;
import org.glovebox.ml.MlTestSupport;
import org.glovebox.ml.TrainingParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pooled training past the depth without any single secret key: four synthetic hospitals generate every key
 * collectively — the bootstrapping keys on the full chain (relinearization, Galois keys of the DFTs and conjugation,
 * the SlotToCoeff sub-chain's Galois keys, the sparse-secret encapsulation keys from their ephemeral shares) and the
 * training keys on the computation chain (public, relinearization and rotation keys), from the same secret shares —
 * each encrypts its records under the collective public key, the cloud trains 12 iterations with bootstrapping, and
 * the four decrypt the model together. Small insecure ring of the secure set's structure (N = 2^11).
 */
class PooledBootstrappedTrainingTest {
    static final int HOSPITALS = 4;
    static final int ITERATIONS = 12;

    @TempDir
    Path dir;

    @Test
    void fourHospitalsTrainWithCollectiveBootstrappingKeys() {
        List<FeatureMatrix> parts = PooledTrainingTest.hospitals(dir, HOSPITALS, 120, 21);
        List<String> names = parts.get(0).columns().stream().map(c -> c.name()).toList();

        // The secure set's encapsulation weight (32) split over the hospitals' ephemeral shares.
        BootstrappingParameters bp = TrainingParameters.insecureBootstrappingForTesting(11, 9);
        int ephemeralPerHospital = bp.ephemeralSecretWeight() / HOSPITALS;
        Parameters full = bp.parameters();
        Session session = Session.create(full, HOSPITALS);
        List<SecretKeyShare> shares = new ArrayList<>();
        for (int i = 0; i < HOSPITALS; i++) {
            shares.add(SecretKeyShare.generate(full, session.party(i)));
        }
        BootstrappingKeys bootKeys = collectiveBootstrappingKeys(bp, session, shares, ephemeralPerHospital);

        // The computation chain: a session over its parameters, the same parties and the same secret shares.
        Parameters comp = bp.computationParameters();
        Session compSession = Session.create(comp, HOSPITALS);
        List<SecretKeyShare> compShares = onChain(shares, compSession);
        PublicKey pk = PooledTrainingTest.collectivePublicKey(compSession, compShares);
        Evaluator cloud = new Evaluator(comp, PooledTrainingTest.collectiveRelinKey(compSession, compShares),
                PooledTrainingTest.collectiveGaloisKeys(compSession, compShares, TrainingParameters.rotationSteps(comp)));

        double[][] x = PooledTrainingTest.pooledRows(parts);
        int[] y = PooledTrainingTest.pooledLabels(parts);
        FeatureScaling agreed = FeatureScaling.standardized(x, TrainingSetEncryptor.DEFAULT_SPREAD);
        double rate = TrainingSetEncryptor.defaultLearningRate(names.size(), TrainingSetEncryptor.DEFAULT_SPREAD);
        List<EncryptedTrainingSet> uploads = new ArrayList<>();
        for (FeatureMatrix m : parts) {
            uploads.add(new TrainingSetEncryptor(comp, Encryptor.withPublicKey(pk))
                    .encrypt(names, m.labelName(), m.toRows(), m.labelsAsInts(), agreed, rate));
        }
        EncryptedTrainingSet pooled = EncryptedTrainingSet.pool(uploads);

        BootstrappingRefresher refresher = new BootstrappingRefresher(new Bootstrapper(bp, bootKeys));
        EncryptedLogisticModel model = new EncryptedLogisticRegression(cloud, refresher).train(pooled, ITERATIONS,
                TrainingListener.NONE);
        assertThat(refresher.refreshes()).isEqualTo(5);

        Encoder encoder = new Encoder(comp);
        Function<Ciphertext, double[]> together = ct -> {
            KeySwitch aggregator = new KeySwitch(compSession);
            List<Share> dec = new ArrayList<>();
            for (SecretKeyShare sk : compShares) {
                dec.add(new KeySwitch(compSession).generateShare(sk, ct));
            }
            return encoder.decode(aggregator.finishDecryption(ct, aggregator.aggregateShares(dec)));
        };
        LogisticModel released = ModelDecryptor.decrypt(model, together);

        TrainingConfig cfg = new TrainingConfig(ITERATIONS, SigmoidApproximation.defaultForTraining(),
                new NesterovSchedule(rate));
        LogisticModel twin = LogisticModel.of(names,
                agreed.toOriginalUnits(new PlainLogisticRegression(cfg).trainScaled(agreed.apply(x), y)));
        double aucEnc = Metrics.auc(MlTestSupport.logits(released, x), y);
        double aucTwin = Metrics.auc(MlTestSupport.logits(twin, x), y);
        System.out.printf("pooled %d hospitals, %d records, %d iterations, %d collective bootstraps: AUC encrypted"
                + " %.4f, twin %.4f%n", HOSPITALS, x.length, ITERATIONS, refresher.refreshes(), aucEnc, aucTwin);
        assertThat(Math.abs(aucEnc - aucTwin)).isLessThanOrEqualTo(0.01);
        for (int j = 0; j < names.size(); j++) {
            // Original units, relative to the feature's spread (smudged collective decryption: ~1e-3 scaled).
            assertThat(released.coefficient(j)).as(names.get(j)).isCloseTo(twin.coefficient(j),
                    org.assertj.core.data.Offset.offset(0.02 / agreed.halfRange(j)));
        }
    }

    /** Every bootstrapping key by the multiparty protocols; nobody holds the secret. */
    static BootstrappingKeys collectiveBootstrappingKeys(BootstrappingParameters bp, Session session,
            List<SecretKeyShare> shares, int ephemeralPerParty) {
        List<GaloisKeys> galois = new ArrayList<>();
        GaloisKeyGen gkg = new GaloisKeyGen(session);
        for (int g : bp.galoisElements()) {
            List<Share> gs = new ArrayList<>();
            for (SecretKeyShare s : shares) {
                gs.add(new GaloisKeyGen(session).generateShare(s, g));
            }
            galois.add(gkg.finish(gkg.aggregateShares(gs)));
        }
        Session subSession = Session.create(bp.slotToCoeffParameters(), shares.size());
        List<SecretKeyShare> subShares = onChain(shares, subSession);
        GaloisKeyGen subGkg = new GaloisKeyGen(subSession);
        List<GaloisKeys> subGalois = new ArrayList<>();
        for (int g : bp.slotToCoeffGaloisElements()) {
            List<Share> gs = new ArrayList<>();
            for (SecretKeyShare s : subShares) {
                gs.add(new GaloisKeyGen(subSession).generateShare(s, g));
            }
            subGalois.add(subGkg.finish(subGkg.aggregateShares(gs)));
        }
        byte[][] seeds = EncapsulationKeys.seedsFrom(session.crsSeed());
        List<EncapsulationKeys> encShares = new ArrayList<>();
        for (SecretKeyShare s : shares) {
            encShares.add(EncapsulationKeys.share(s.toSecretKey(), ephemeralPerParty, seeds));
        }
        return BootstrappingKeys.of(PooledTrainingTest.collectiveRelinKey(session, shares), galois, subGalois,
                EncapsulationKeys.aggregate(encShares));
    }

    /** The same secret shares as shares of another parameter set whose chain starts with the same primes. */
    static List<SecretKeyShare> onChain(List<SecretKeyShare> shares, Session target) {
        List<SecretKeyShare> out = new ArrayList<>();
        for (int i = 0; i < shares.size(); i++) {
            long[] c = ProtocolAccess.secretCoefficients(shares.get(i).toSecretKey());
            out.add(SecretKeyShare.fromSecretKey(ProtocolAccess.secretKey(target.parameters(), c), target.party(i)));
            java.util.Arrays.fill(c, 0);
        }
        return out;
    }
}
