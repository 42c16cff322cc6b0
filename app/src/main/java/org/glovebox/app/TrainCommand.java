package org.glovebox.app;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.glovebox.app.keys.KeyDirectory;
import org.glovebox.he.ckks.Evaluator;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.ckks.bootstrap.Bootstrapper;
import org.glovebox.he.ckks.bootstrap.BootstrappingKeys;
import org.glovebox.he.ckks.bootstrap.BootstrappingParameters;
import org.glovebox.he.ring.Parallelism;
import org.glovebox.ml.TrainingParameters;
import org.glovebox.ml.lr.EncryptedLogisticModel;
import org.glovebox.ml.lr.EncryptedLogisticRegression;
import org.glovebox.ml.lr.BootstrappingRefresher;
import org.glovebox.ml.lr.EncryptedTrainingSet;
import org.glovebox.ml.lr.LevelRefresher;
import org.glovebox.ml.lr.NesterovSchedule;
import org.glovebox.ml.lr.SigmoidApproximation;
import org.glovebox.ml.lr.TrainingConfig;
import org.glovebox.ml.lr.TrainingListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code glovebox train}: the cloud's command. Trains a logistic regression on an encrypted training set with the
 * public directory only (a directory holding a secret key is refused) and writes the encrypted model.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Trains a model on an encrypted training set (encrypt --label) with public material only;"
                + " the model stays encrypted.")
public final class TrainCommand implements Callable<Integer> {
    /** Model kinds. */
    enum ModelKind { logistic }

    @Option(names = "--public", required = true, paramLabel = "<dir>", description = "The public key directory.")
    Path publicDir;

    @Option(names = {"-i", "--in"}, required = true, paramLabel = "<file>", description = "Encrypted training set.")
    Path in;

    @Option(names = "--model", defaultValue = "logistic", paramLabel = "<kind>",
            description = "Model to train: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    ModelKind model;

    @Option(names = {"-n", "--iterations"}, defaultValue = "7", paramLabel = "<K>",
            description = "Nesterov iterations (default ${DEFAULT-VALUE}); bounded by the parameter set's depth unless"
                    + " the keys include bootstrapping keys (keygen --params training-bootstrap).")
    int iterations;

    @Option(names = "--learning-rate", paramLabel = "<gamma0>",
            description = "First learning rate γ_0 (γ_t = γ_0/(t+1)); default: the one the data owner suggested.")
    Double learningRate;

    @Option(names = "--threads", defaultValue = "2", paramLabel = "<n>", description = "Threads (default 2).")
    int threads;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "<file>", description = "Encrypted model to write.")
    Path out;

    @Override
    public Integer call() throws Exception {
        KeyDirectory.requirePublicOnly(publicDir);
        Parameters params = KeyDirectory.readParameters(publicDir);
        int max = EncryptedLogisticRegression.maxIterations(params);
        Optional<BootstrappingParameters> bootstrapping = TrainingParameters.bootstrappingFor(params);
        Path bootDir = publicDir.resolve(KeyDirectory.BOOTSTRAPPING_DIR);
        boolean bootstrap = iterations > max && bootstrapping.isPresent() && Files.isDirectory(bootDir);
        if (iterations < 1 || (iterations > max && !bootstrap)) {
            String hint = bootstrapping.isPresent()
                    ? "the bootstrapping keys are missing: " + bootDir + " is not a directory"
                    : "keys made with 'glovebox keygen --params " + TrainingParameters.BOOTSTRAP_NAME
                            + "' bootstrap and train any number of iterations";
            System.err.printf(Locale.ROOT, "Cannot train %d iterations: the parameter set (N = 2^%d, %d levels) allows"
                    + " at most %d without bootstrapping (each iteration after the first needs 4 levels); %s.%n",
                    iterations, params.logN(), params.maxLevel(), max, hint);
            return 2;
        }
        EncryptedTrainingSet set;
        try (InputStream is = new BufferedInputStream(Files.newInputStream(in), 1 << 16)) {
            set = EncryptedTrainingSet.read(is, params);
        }
        Evaluator ev = new Evaluator(params, KeyDirectory.readRelinearizationKey(publicDir, params),
                KeyDirectory.readGaloisKeys(publicDir, params), Parallelism.threads(threads));
        double rate = learningRate != null ? learningRate : set.learningRate();
        TrainingConfig config = new TrainingConfig(iterations, SigmoidApproximation.defaultForTraining(),
                new NesterovSchedule(rate));
        System.out.printf(Locale.ROOT, "Training logistic regression on %d encrypted records x %d features"
                + " (%s), %d iterations, γ_0 = %.4g, sigmoid %s%n", set.rows(), set.features(), params, iterations,
                rate, config.sigmoid());
        LevelRefresher refresher = LevelRefresher.NONE;
        if (bootstrap) {
            long t0 = System.nanoTime();
            BootstrappingKeys keys = BootstrappingKeys.readFrom(bootDir, bootstrapping.get(),
                    BootstrappingKeys.Loading.LAZY);
            refresher = new BootstrappingRefresher(new Bootstrapper(bootstrapping.get(), keys,
                    Parallelism.threads(threads)));
            System.out.printf(Locale.ROOT, "Bootstrapping every %d levels (keys from %s, loaded as needed; set up in"
                    + " %.1f s)%n", bootstrapping.get().levelsAfterBootstrap(), bootDir,
                    (System.nanoTime() - t0) / 1e9);
        }
        EncryptedLogisticModel result = new EncryptedLogisticRegression(ev, refresher).train(set, config,
                new TrainingListener() {
                    @Override
                    public void iterationDone(int it, int of, double seconds, int levels) {
                        System.out.printf(Locale.ROOT, "  iteration %d/%d  elapsed %6.1f s  levels left %d%n", it,
                                of, seconds, levels);
                    }

                    @Override
                    public void refreshed(int it, double seconds, int level) {
                        System.out.printf(Locale.ROOT, "  bootstrapped after iteration %d  elapsed %6.1f s  levels"
                                + " left %d%n", it, seconds, level);
                    }
                });
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(out), 1 << 16)) {
            result.write(os);
        }
        System.out.printf(Locale.ROOT, "Encrypted model written to %s (%.1f MB, %d level(s) left for scoring);"
                + " only the key holder can decrypt it%n", out, Files.size(out) / 1e6, result.level());
        return 0;
    }
}
