package org.glovebox.ml.lr;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Function;
import org.glovebox.data.Cohorts;
import org.glovebox.data.FeatureMatrix;
import org.glovebox.data.cohort.CohortDefinitions;
import org.glovebox.data.synth.HospitalProfile;
import org.glovebox.data.synth.SyntheticHospitals;
import org.glovebox.he.ckks.Ciphertext;
import org.glovebox.he.ckks.Encoder;
import org.glovebox.he.ckks.Encryptor;
import org.glovebox.he.ckks.Evaluator;
import org.glovebox.he.ckks.GaloisKeys;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.ckks.PublicKey;
import org.glovebox.he.ckks.RelinearizationKey;
import org.glovebox.he.multiparty.GaloisKeyGen;
import org.glovebox.he.multiparty.KeySwitch;
import org.glovebox.he.multiparty.PartyId;
import org.glovebox.he.multiparty.PublicKeyGen;
import org.glovebox.he.multiparty.RelinKeyGen;
import org.glovebox.he.multiparty.SecretKeyShare;
import org.glovebox.he.multiparty.Session;
import org.glovebox.he.multiparty.Share;
import org.glovebox.ml.MlTestSupport;
import org.glovebox.ml.TrainingParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pooled training: three synthetic hospitals (non-identical distributions, data module) run the multiparty key
 * generation (collective public, relinearization and Galois keys), each encrypts its own records under the collective
 * public key with the scaling they agreed on, the cloud trains on the pooled ciphertexts, and the three decrypt the
 * model together (collective decryption with smudging). No party ever holds the whole secret key.
 */
class PooledTrainingTest {
    @TempDir
    Path dir;

    @Test
    void threeHospitalsTrainUnderACollectiveKeyAndDecryptTogether() {
        List<FeatureMatrix> parts = hospitals(dir, 3, 160, 11);
        List<String> names = parts.get(0).columns().stream().map(c -> c.name()).toList();

        int iterations = 3;
        Parameters params = TrainingParameters.insecureForTesting(12, iterations);
        Session session = Session.create(params, 3);
        List<SecretKeyShare> secrets = new ArrayList<>();
        for (PartyId p : session.parties()) {
            secrets.add(SecretKeyShare.generate(params, p));
        }
        PublicKey pk = collectivePublicKey(session, secrets);
        Evaluator cloud = new Evaluator(params, collectiveRelinKey(session, secrets),
                collectiveGaloisKeys(session, secrets, TrainingParameters.rotationSteps(params)));

        // The agreed scaling and learning rate (in a study: from the encrypted pooled means and variances).
        double[][] x = pooledRows(parts);
        int[] y = pooledLabels(parts);
        FeatureScaling agreed = FeatureScaling.standardized(x, TrainingSetEncryptor.DEFAULT_SPREAD);
        double rate = TrainingSetEncryptor.defaultLearningRate(names.size(), TrainingSetEncryptor.DEFAULT_SPREAD);

        List<EncryptedTrainingSet> uploads = new ArrayList<>();
        for (FeatureMatrix m : parts) {
            uploads.add(new TrainingSetEncryptor(params, Encryptor.withPublicKey(pk))
                    .encrypt(names, m.labelName(), m.toRows(), m.labelsAsInts(), agreed, rate));
        }
        EncryptedTrainingSet pooled = EncryptedTrainingSet.pool(uploads);
        assertThat(pooled.rows()).isEqualTo(x.length);
        EncryptedLogisticModel model = new EncryptedLogisticRegression(cloud)
                .train(pooled, iterations, TrainingListener.NONE);

        Encoder encoder = new Encoder(params);
        Function<Ciphertext, double[]> together = ct -> {
            KeySwitch aggregator = new KeySwitch(session);
            List<Share> shares = new ArrayList<>();
            for (SecretKeyShare sk : secrets) {
                shares.add(new KeySwitch(session).generateShare(sk, ct));
            }
            return encoder.decode(aggregator.finishDecryption(ct, aggregator.aggregateShares(shares)));
        };
        LogisticModel released = ModelDecryptor.decrypt(model, together);

        TrainingConfig cfg = new TrainingConfig(iterations, SigmoidApproximation.defaultForTraining(),
                new NesterovSchedule(rate));
        LogisticModel twin = LogisticModel.of(names,
                agreed.toOriginalUnits(new PlainLogisticRegression(cfg).trainScaled(agreed.apply(x), y)));
        double aucEnc = Metrics.auc(MlTestSupport.logits(released, x), y);
        double aucTwin = Metrics.auc(MlTestSupport.logits(twin, x), y);
        System.out.printf("pooled 3 hospitals, %d records: AUC encrypted %.4f, twin %.4f%n", x.length, aucEnc, aucTwin);
        assertThat(Math.abs(aucEnc - aucTwin)).isLessThanOrEqualTo(0.01);
        for (int j = 0; j < names.size(); j++) {
            // Original units: relative to the feature's spread (the smudged decryption adds ~1e-3 in scaled units).
            double tolerance = 0.02 / agreed.halfRange(j);
            assertThat(released.coefficient(j)).as(names.get(j)).isCloseTo(twin.coefficient(j),
                    org.assertj.core.data.Offset.offset(tolerance));
        }
        // HbA1c is the strongest risk factor of the ground truth: the pooled model finds it.
        assertThat(released.coefficient(names.indexOf("hba1c"))).isPositive();
    }

    /** {@code count} synthetic hospitals (different populations) written as CSV and loaded through their cohort. */
    static List<FeatureMatrix> hospitals(Path dir, int count, int rows, long seed) {
        List<HospitalProfile> profiles = HospitalProfile.defaults(count, seed);
        new SyntheticHospitals().write(dir, profiles, rows, seed, EnumSet.of(SyntheticHospitals.Format.CSV));
        List<FeatureMatrix> parts = new ArrayList<>();
        for (HospitalProfile h : profiles) {
            parts.add(Cohorts.load(CohortDefinitions.example("synthetic-diabetes-csv"),
                    dir.resolve(h.id()).resolve(h.id() + ".csv")).matrix());
        }
        return parts;
    }

    /** The hospitals' rows in one table (the plaintext twin's view of the pooled data). */
    static double[][] pooledRows(List<FeatureMatrix> parts) {
        List<double[]> rows = new ArrayList<>();
        for (FeatureMatrix m : parts) {
            for (int r = 0; r < m.rows(); r++) {
                rows.add(m.row(r));
            }
        }
        return rows.toArray(new double[0][]);
    }

    /** The hospitals' labels, in the order of {@link #pooledRows}. */
    static int[] pooledLabels(List<FeatureMatrix> parts) {
        return parts.stream().flatMapToInt(m -> java.util.stream.IntStream.range(0, m.rows())
                .map(r -> (int) m.label(r))).toArray();
    }

    static PublicKey collectivePublicKey(Session session, List<SecretKeyShare> secrets) {
        PublicKeyGen aggregator = new PublicKeyGen(session);
        List<Share> shares = new ArrayList<>();
        for (SecretKeyShare sk : secrets) {
            shares.add(new PublicKeyGen(session).generateShare(sk));
        }
        return aggregator.finish(aggregator.aggregateShares(shares));
    }

    static RelinearizationKey collectiveRelinKey(Session session, List<SecretKeyShare> secrets) {
        RelinKeyGen aggregator = new RelinKeyGen(session);
        List<RelinKeyGen> parties = new ArrayList<>();
        List<Share> round1 = new ArrayList<>();
        for (SecretKeyShare sk : secrets) {
            RelinKeyGen p = new RelinKeyGen(session);
            parties.add(p);
            round1.add(p.generateShareRoundOne(sk));
        }
        Share r1 = aggregator.aggregateShares(round1);
        List<Share> round2 = new ArrayList<>();
        for (int i = 0; i < secrets.size(); i++) {
            round2.add(parties.get(i).generateShareRoundTwo(secrets.get(i), r1));
        }
        return aggregator.finish(r1, aggregator.aggregateShares(round2));
    }

    static GaloisKeys collectiveGaloisKeys(Session session, List<SecretKeyShare> secrets, int[] steps) {
        int[] elements = GaloisKeyGen.elementsFor(session.parameters(), steps, false);
        GaloisKeyGen aggregator = new GaloisKeyGen(session);
        List<Share> aggregates = new ArrayList<>();
        for (int g : elements) {
            List<Share> shares = new ArrayList<>();
            for (SecretKeyShare sk : secrets) {
                shares.add(new GaloisKeyGen(session).generateShare(sk, g));
            }
            aggregates.add(aggregator.aggregateShares(shares));
        }
        return aggregator.finish(aggregates);
    }
}
