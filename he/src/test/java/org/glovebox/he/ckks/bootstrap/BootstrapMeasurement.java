package org.glovebox.he.ckks.bootstrap;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.glovebox.he.ckks.Ciphertext;
import org.glovebox.he.ckks.Decryptor;
import org.glovebox.he.ckks.Encoder;
import org.glovebox.he.ckks.Encryptor;
import org.glovebox.he.ckks.KeyGenerator;
import org.glovebox.he.ckks.SecretKey;

/**
 * Measures one bootstrap (latency per stage as wall and thread-CPU time, precision mean and worst slot, key size,
 * memory). Run from the module directory after {@code ./mvnw -pl he test-compile}:
 *
 * <pre>
 *   java -Xmx12g -cp target/classes:target/test-classes org.glovebox.he.ckks.bootstrap.BootstrapMeasurement n16 2
 * </pre>
 *
 * Arguments: parameter set ({@code n16}, {@code n16-sparse12}, or {@code small}) and the number of bootstraps.
 */
public final class BootstrapMeasurement {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private BootstrapMeasurement() {
    }

    private static double cpu() {
        return THREADS.getCurrentThreadCpuTime() / 1e9;
    }

    private static double wall() {
        return System.nanoTime() / 1e9;
    }

    static String rss() {
        try {
            String s = Files.readString(Path.of("/proc/self/status"));
            StringBuilder b = new StringBuilder();
            for (String line : s.split("\n")) {
                if (line.startsWith("VmRSS") || line.startsWith("VmHWM")) {
                    b.append(line.replaceAll("\\s+", " ")).append("; ");
                }
            }
            return b.toString();
        } catch (Exception e) {
            return "n/a";
        }
    }

    static double heapGb() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime r = Runtime.getRuntime();
        return (r.totalMemory() - r.freeMemory()) / 1e9;
    }

    /**
     * {@code write <dir>}: N = 2^16 keys (and, for checking only, the secret key) into a directory;
     * {@code ondemand <dir> <reps>}: bootstraps with the keys read on demand (run with a small -Xmx to show the bound).
     */
    static boolean keyDirectoryModes(String[] args) throws Exception {
        if (args.length < 2 || !(args[0].equals("write") || args[0].equals("ondemand"))) {
            return false;
        }
        BootstrappingParameters bp = BootstrappingParameters.n16();
        java.nio.file.Path dir = java.nio.file.Path.of(args[1]);
        if (args[0].equals("write")) {
            SecretKey sk = new KeyGenerator(bp.parameters()).generateSecretKey();
            double w0 = wall();
            BootstrappingKeys keys = BootstrappingKeys.generate(bp, sk);
            double w1 = wall();
            keys.writeTo(dir);
            try (var os = Files.newOutputStream(dir.resolve("secret.key-for-testing"))) {
                org.glovebox.he.ckks.Serialization.writeSecretKey(sk, os);
            }
            long bytes;
            try (var files = Files.list(dir)) {
                bytes = files.mapToLong(f -> f.toFile().length()).sum();
            }
            System.out.printf("generated in %.1f s, written in %.1f s: %.2f GB on disk (storedBytes %.2f GB)%n",
                    w1 - w0, wall() - w1, bytes / 1e9, keys.storedBytes() / 1e9);
            return true;
        }
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        SecretKey sk;
        try (var is = Files.newInputStream(dir.resolve("secret.key-for-testing"))) {
            sk = org.glovebox.he.ckks.Serialization.readSecretKey(is, bp.parameters());
        }
        BootstrappingKeys keys = BootstrappingKeys.readFrom(dir, bp, BootstrappingKeys.Loading.ON_DEMAND);
        Bootstrapper bt = new Bootstrapper(bp, keys);
        System.out.printf("keys read on demand; heap after GC %.2f GB, max heap %.2f GB%n", heapGb(),
                Runtime.getRuntime().maxMemory() / 1e9);
        Encoder enc = new Encoder(bp.parameters());
        Encryptor encryptor = Encryptor.withSecretKey(sk);
        Decryptor dec = new Decryptor(sk);
        for (int rep = 0; rep < reps; rep++) {
            double[][] z = BootstrapFixture.randomComplex(bp.slots(), 200 + rep, false);
            Ciphertext ct = encryptor.encrypt(
                    enc.encode(z[0], z[1], bp.slots(), bp.inputLevel(), bp.parameters().defaultScale()));
            double w = wall();
            double c = cpu();
            Ciphertext out = bt.bootstrap(ct);
            double[] prec = BootstrapFixture.precision(z, enc.decodeComplex(dec.decrypt(out)));
            System.out.printf("on-demand bootstrap %d: %.1f s wall / %.1f s cpu; precision mean %.1f, worst %.1f bits;"
                    + " %s%n", rep, wall() - w, cpu() - c, prec[0], prec[1], rss());
        }
        return true;
    }

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        if (keyDirectoryModes(args)) {
            return;
        }
        String set = args.length > 0 ? args[0] : "n16";
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        BootstrappingParameters bp = switch (set) {
            case "n16" -> BootstrappingParameters.n16();
            case "n16-sparse12" -> BootstrappingParameters.n16(12);
            case "small" -> BootstrapFixture.small(12, 11).ephemeralSecretWeight(32).build();
            case "n16primes12" -> BootstrappingParameters.builder().logN(12).logSlots(11).firstPrimeBits(60)
                    .computationPrimes(10, 40).defaultLogScale(40).slotToCoeffPrimes(3, 42).evalModPrimeBits(60)
                    .coeffToSlotPrimes(3, 58).specialPrimes(8, 61).ephemeralSecretWeight(32).insecureForTestingOnly()
                    .build();
            case "n14" -> BootstrappingParameters.builder().logN(14).logSlots(13).firstPrimeBits(60)
                    .computationPrimes(10, 40).defaultLogScale(40).slotToCoeffPrimes(3, 42).evalModPrimeBits(60)
                    .coeffToSlotPrimes(3, 58).specialPrimes(8, 61).ephemeralSecretWeight(32).insecureForTestingOnly()
                    .build();
            default -> {
                // custom:logN,q0,stc,comp,eval,evalTop,ctsLevels,cts,special (prime bits)
                String[] a = set.substring(set.indexOf(':') + 1).split(",");
                int[] v = java.util.Arrays.stream(a).mapToInt(Integer::parseInt).toArray();
                yield BootstrappingParameters.builder().logN(v[0]).logSlots(v[0] - 1).firstPrimeBits(v[1])
                        .slotToCoeffPrimes(3, v[2]).computationPrimes(3, v[3]).defaultLogScale(40)
                        .evalModPrimeBits(v[4]).evalModTopPrimeBits(v[5]).coeffToSlotPrimes(v[6], v[7])
                        .specialPrimes(8, v[8]).ephemeralSecretWeight(32).insecureForTestingOnly().build();
            }
        };
        System.out.println(bp);
        System.out.printf("log2(QP) = %.1f, levels after bootstrap = %d%n", bp.parameters().logQP(),
                bp.levelsAfterBootstrap());
        double w0 = wall();
        double c0 = cpu();
        SecretKey sk = new KeyGenerator(bp.parameters()).generateSecretKey();
        BootstrappingKeys keys = BootstrappingKeys.generate(bp, sk);
        System.out.printf("keygen: %.1f s wall, %.1f s cpu; %d Galois keys; key size %.2f GB (seeded, 64-bit words);"
                        + " heap after GC %.2f GB; %s%n",
                wall() - w0, cpu() - c0, keys.galoisKeys().galoisElements().size(), keys.sizeBytes() / 1e9, heapGb(),
                rss());
        w0 = wall();
        Bootstrapper bt = new Bootstrapper(bp, keys);
        System.out.printf("bootstrapper setup: %.1f s%n", wall() - w0);
        for (BsgsTransform t : bt.coeffToSlotTransforms()) {
            System.out.println("  CtS " + t);
        }
        for (BsgsTransform t : bt.slotToCoeffTransforms()) {
            System.out.println("  StC " + t);
        }
        Encoder enc = new Encoder(bp.parameters());
        Encryptor encryptor = Encryptor.withSecretKey(sk);
        Decryptor dec = new Decryptor(sk);
        for (int rep = 0; rep < reps; rep++) {
            boolean complex = rep % 2 == 1;
            double[][] z = BootstrapFixture.randomComplex(bp.slots(), 100 + rep, complex);
            Ciphertext ct = encryptor.encrypt(
                    enc.encode(z[0], z[1], bp.slots(), bp.inputLevel(), bp.parameters().defaultScale()));
            double[] t = new double[12];
            t[0] = wall();
            t[1] = cpu();
            Ciphertext low = bt.prepare(ct);
            double[] tp = {wall(), cpu()};
            Ciphertext raised = bt.modRaise(low);
            t[2] = wall();
            t[3] = cpu();
            Ciphertext[] parts = bt.coeffToSlot(raised);
            t[4] = wall();
            t[5] = cpu();
            for (int i = 0; i < parts.length; i++) {
                parts[i] = bt.evalMod(parts[i]);
            }
            t[6] = wall();
            t[7] = cpu();
            Ciphertext out = bt.finish(parts, low.scale());
            t[8] = wall();
            t[9] = cpu();
            double[] prec = BootstrapFixture.precision(z, enc.decodeComplex(dec.decrypt(out)));
            System.out.printf("bootstrap %d (%s): total %.1f s wall / %.1f s cpu [prepare %.1f/%.1f, raise %.1f/%.1f,"
                            + " CtS %.1f/%.1f, EvalMod %.1f/%.1f, finish %.1f/%.1f]; level %d; precision mean %.1f bits,"
                            + " worst %.1f bits; %s%n",
                    rep, complex ? "complex" : "real", t[8] - t[0], t[9] - t[1], tp[0] - t[0], tp[1] - t[1],
                    t[2] - tp[0], t[3] - tp[1],
                    t[4] - t[2], t[5] - t[3], t[6] - t[4], t[7] - t[5], t[8] - t[6], t[9] - t[7], out.level(),
                    prec[0], prec[1], rss());
        }
    }
}
