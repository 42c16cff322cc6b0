package org.glovebox.app;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.glovebox.app.keys.KeyDirectory;
import org.glovebox.he.ckks.GaloisKeys;
import org.glovebox.he.ckks.KeyGenerator;
import org.glovebox.he.ckks.ParameterSets;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.ckks.SecretKey;
import org.glovebox.he.ckks.bootstrap.BootstrappingKeys;
import org.glovebox.he.ckks.bootstrap.BootstrappingParameters;
import org.glovebox.he.ring.Parallelism;
import org.glovebox.ml.TrainingParameters;
import org.glovebox.ml.stats.EncryptedStatistics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code glovebox keygen}: creates a key set (secret part stays with the hospital, public part is shareable). */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = "Generates a CKKS key set: <out>/secret (owner-only) and <out>/public (for the untrusted party).")
public final class KeygenCommand implements Callable<Integer> {
    @Option(names = {"-p", "--params"}, paramLabel = "<set>", defaultValue = "STATS",
            description = "Parameter set (${COMPLETION-CANDIDATES}); default ${DEFAULT-VALUE}: 128-bit secure,"
                    + " 2^55 scale for precise statistics; 'training': 128-bit N = 2^16 set for encrypted training"
                    + " (up to 7 iterations); 'training-bootstrap': 128-bit N = 2^16 set with bootstrapping keys"
                    + " (about 1.5 GB on disk, 4 GB in memory) for any number of iterations.",
            completionCandidates = ParameterSetNames.class)
    String paramSet;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "<dir>", description = "Key directory to create.")
    Path out;

    @Override
    public Integer call() throws Exception {
        Optional<BootstrappingParameters> bootstrapping = TrainingParameters.bootstrappingByName(paramSet);
        Parameters training = TrainingParameters.byName(paramSet);
        Parameters params = training != null ? training : ParameterSets.byName(paramSet);
        if (params.isInsecure()) {
            System.err.println("WARNING: " + paramSet + " is an INSECURE parameter set for tests only; never use it"
                    + " for real data.");
        }
        long start = System.nanoTime();
        KeyGenerator kg = new KeyGenerator(params, Parallelism.allProcessors());
        SecretKey sk;
        BootstrappingKeys bootKeys = null;
        if (bootstrapping.isPresent()) {
            // One secret for the whole bootstrapping chain; the computation chain's keys are cut from it.
            BootstrappingParameters bp = bootstrapping.get();
            SecretKey full = new KeyGenerator(bp.parameters()).generateSecretKey();
            System.out.println("Generating bootstrapping keys (" + bp.galoisElements().length + " + "
                    + bp.slotToCoeffGaloisElements().length + " Galois keys; about half a minute at N = 2^16)...");
            bootKeys = BootstrappingKeys.generate(bp, full);
            sk = BootstrappingKeys.computationSecretKey(bp, full);
            full.destroy();
        } else {
            sk = kg.generateSecretKey();
        }
        // Training and row-wise scoring rotate by every power of two below N/2 (the packing's block and record
        // sums); statistics use the same steps, and the conjugation key for pairwise cross products.
        GaloisKeys gks = training != null
                ? kg.generateGaloisKeys(sk, TrainingParameters.rotationSteps(params), false)
                : kg.generateGaloisKeys(sk, EncryptedStatistics.requiredRotationSteps(params), true);
        KeyDirectory.write(out, params, sk, kg.generatePublicKey(sk), kg.generateRelinearizationKey(sk), gks);
        sk.destroy();
        if (bootKeys != null) {
            bootKeys.writeTo(out.resolve(KeyDirectory.PUBLIC).resolve(KeyDirectory.BOOTSTRAPPING_DIR));
        }
        System.out.printf("Keys for %s written to %s in %.1f s%n", params, out, (System.nanoTime() - start) / 1e9);
        System.out.println("  " + out.resolve(KeyDirectory.SECRET) + "  secret key: keep it here, never send it");
        System.out.println("  " + out.resolve(KeyDirectory.PUBLIC) + "  public material for the untrusted party ("
                + gks.galoisElements().size() + " Galois keys"
                + (bootKeys == null ? ")" : String.format(Locale.ROOT, "; bootstrapping keys in %s/, %.2f GB)",
                        KeyDirectory.BOOTSTRAPPING_DIR, bootKeys.storedBytes() / 1e9)));
        return 0;
    }

    /** Names for completion and help. */
    static final class ParameterSetNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            var all = new java.util.ArrayList<>(ParameterSets.names());
            all.add(TrainingParameters.NAME);
            all.add(TrainingParameters.BOOTSTRAP_NAME);
            return all.iterator();
        }
    }
}
