package org.glovebox.app.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.glovebox.he.ckks.Ciphertext;
import org.glovebox.he.ckks.Decryptor;
import org.glovebox.he.ckks.Encoder;
import org.glovebox.he.ckks.Encryptor;
import org.glovebox.he.ckks.KeyGenerator;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.ckks.SecretKey;
import org.glovebox.he.ckks.bootstrap.Bootstrapper;
import org.glovebox.he.ckks.bootstrap.BootstrappingKeys;
import org.glovebox.he.ckks.bootstrap.BootstrappingParameters;
import org.glovebox.he.ring.Parallelism;

/**
 * Times bootstrapping end to end as a user meets it: generation of the bootstrapping keys from a fresh secret key,
 * then {@code reps} bootstraps, each of a fresh encryption of real slot values uniform in [-1, 1] at
 * {@link BootstrappingParameters#inputLevel()} with the default scale, and the precision of every result after
 * decryption. Each run takes from milliseconds (test rings) to about half a minute (N = 2^16), so every call is timed
 * once; with {@code warmUp} one untimed bootstrap first lets the JIT compile the hot loops (the first bootstrap in a
 * JVM can be much slower). The secret key is made here for key generation, encryption and decryption, never
 * leaves this object, and is destroyed when the run ends.
 */
public final class BootstrapBenchmark {
    /** One timed bootstrap: its time in microseconds and the precision of its output in bits. */
    public record Run(double micros, double bitsMean, double bitsWorst) {
    }

    /**
     * What a benchmark measured. Times in microseconds by the chosen clock: {@code keygenUs} is one call of
     * {@link BootstrappingKeys#generate}, {@code setupUs} the {@link Bootstrapper} construction (it factors the DFT
     * matrices); {@code bootstrap} summarises the timed runs. {@code bitsMean} and {@code bitsWorst} pool the slots
     * of every timed run. Key sizes: {@link BootstrappingKeys#sizeBytes()} and {@link BootstrappingKeys#storedBytes()}.
     */
    public record Result(double keygenUs, double setupUs, long keysBytes, long keysStoredBytes, Stats bootstrap,
            List<Run> runs, double bitsMean, double bitsWorst, int outputLevel, boolean warmedUp) {
    }

    private final BootstrappingParameters bp;
    private final Parallelism par;
    private final MicroBenchmark.Clock clock;
    private final PrintWriter progress;

    /** {@code progress} receives one line per phase (keygen and a bootstrap take about half a minute at N = 2^16). */
    public BootstrapBenchmark(BootstrappingParameters bp, Parallelism par, MicroBenchmark.Clock clock,
            PrintWriter progress) {
        this.bp = bp;
        this.par = par;
        this.clock = clock;
        this.progress = progress;
    }

    /** Generates the keys, optionally warms up with one untimed bootstrap, then times {@code reps} bootstraps. */
    public Result run(int reps, boolean warmUp) {
        if (reps < 1) {
            throw new IllegalArgumentException("reps must be >= 1, got " + reps);
        }
        Parameters params = bp.parameters();
        SecretKey sk = new KeyGenerator(params, par).generateSecretKey();
        try {
            say("generating bootstrapping keys (%d Galois elements + %d on the SlotToCoeff sub-chain)...",
                    bp.galoisElements().length, bp.slotToCoeffGaloisElements().length);
            long t0 = clock.nanos();
            BootstrappingKeys keys = BootstrappingKeys.generate(bp, sk, par);
            double keygenUs = (clock.nanos() - t0) / 1e3;
            say("keys generated in %.1f s: %.2f GB in memory", keygenUs / 1e6, keys.sizeBytes() / 1e9);

            t0 = clock.nanos();
            Bootstrapper bootstrapper = new Bootstrapper(bp, keys, par);
            double setupUs = (clock.nanos() - t0) / 1e3;

            Encoder encoder = new Encoder(params, par);
            Encryptor encryptor = Encryptor.withSecretKey(sk).withParallelism(par);
            Decryptor decryptor = new Decryptor(sk);
            int outputLevel = 0;
            if (warmUp) {
                say("warm-up bootstrap (untimed: the first one in a JVM runs before the JIT has compiled)...");
                long w0 = clock.nanos();
                bootstrapper.bootstrap(encrypt(encoder, encryptor, values(-1)));
                say("warm-up done in %.1f s", (clock.nanos() - w0) / 1e9);
            }
            SlotErrors pooled = new SlotErrors();
            List<Run> runs = new ArrayList<>(reps);
            long[] nanos = new long[reps];
            for (int rep = 0; rep < reps; rep++) {
                say("bootstrap %d/%d...", rep + 1, reps);
                double[] values = values(rep);
                Ciphertext ct = encrypt(encoder, encryptor, values);
                System.gc();
                long b0 = clock.nanos();
                Ciphertext out = bootstrapper.bootstrap(ct);
                nanos[rep] = clock.nanos() - b0;
                outputLevel = out.level();
                double[][] expected = {values, new double[values.length]};
                double[][] actual = encoder.decodeComplex(decryptor.decrypt(out));
                SlotErrors one = new SlotErrors();
                one.add(expected, actual);
                pooled.add(expected, actual);
                Run r = new Run(nanos[rep] / 1e3, one.bitsMean(), one.bitsWorst());
                runs.add(r);
                say("bootstrap %d/%d: %.2f s, precision %.1f bits mean, %.1f bits worst slot", rep + 1, reps,
                        r.micros() / 1e6, r.bitsMean(), r.bitsWorst());
            }
            return new Result(keygenUs, setupUs, keys.sizeBytes(), keys.storedBytes(), Stats.ofNanos(nanos),
                    List.copyOf(runs), pooled.bitsMean(), pooled.bitsWorst(), outputLevel, warmUp);
        } finally {
            sk.destroy();
        }
    }

    /** Real slot values uniform in [-1, 1], reproducible per run ({@code run} -1: the warm-up). */
    private double[] values(int run) {
        SplittableRandom r = new SplittableRandom(0x600d_b007L + run);
        double[] v = new double[bp.slots()];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextDouble(-1, 1);
        }
        return v;
    }

    private Ciphertext encrypt(Encoder encoder, Encryptor encryptor, double[] values) {
        return encryptor.encrypt(encoder.encode(values, null, bp.slots(), bp.inputLevel(),
                bp.parameters().defaultScale()));
    }

    private void say(String format, Object... args) {
        progress.printf(Locale.ROOT, "[bench --bootstrap] " + format + "%n", args);
        progress.flush();
    }
}
