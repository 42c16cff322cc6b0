package org.glovebox.he.ckks.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.glovebox.he.ckks.Ciphertext;
import org.glovebox.he.io.MalformedDataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bootstrapping keys: the set derived from the parameters, serialization, eager and lazy loading, sizes. */
class BootstrappingKeysTest {

    @Test
    void keySetIsDerivedFromTheParameters() {
        BootstrapFixture f = BootstrapFixture.encapsulated();
        assertEquals(f.bp.galoisElements().length, f.keys.galoisElements().size());
        for (int g : f.bp.galoisElements()) {
            assertTrue(f.keys.hasElement(g));
        }
        // conjugation is always needed; the sparse set also needs the trace rotations
        assertTrue(f.keys.hasElement(2 * f.params.n() - 1));
        for (int s : f.bp.traceSteps()) {
            assertTrue(f.keys.hasElement(org.glovebox.he.ckks.GaloisElements.forRotation(s, f.params.n())));
        }
        assertTrue(f.keys.sizeBytes() > f.keys.storedBytes(), "memory holds the expanded uniform halves");
        System.out.printf("[keys] %s: %d Galois keys, %.1f MB in memory, %.1f MB stored%n", f.bp,
                f.keys.galoisElements().size(), f.keys.sizeBytes() / 1e6, f.keys.storedBytes() / 1e6);
    }

    @Test
    void keysRoundTripThroughADirectoryEagerlyLazilyAndOnDemand(@TempDir Path dir) throws IOException {
        BootstrapFixture f = BootstrapFixture.encapsulated();
        f.keys.writeTo(dir);
        long onDisk;
        try (Stream<Path> files = Files.list(dir)) {
            onDisk = files.mapToLong(p -> p.toFile().length()).sum();
        }
        // the stored estimate matches the files up to the headers and the index
        assertTrue(Math.abs(onDisk - f.keys.storedBytes()) < 0.01 * onDisk, onDisk + " vs " + f.keys.storedBytes());
        double[][] z = BootstrapFixture.randomComplex(f.bp.slots(), 31, true);
        for (BootstrappingKeys.Loading mode : BootstrappingKeys.Loading.values()) {
            BootstrappingKeys read = BootstrappingKeys.readFrom(dir, f.bp, mode);
            assertEquals(f.keys.galoisElements(), read.galoisElements());
            assertEquals(mode == BootstrappingKeys.Loading.EAGER, read.allLoaded());
            Bootstrapper bt = new Bootstrapper(f.bp, read);
            Ciphertext out = bt.bootstrap(f.encryptForBootstrap(z));
            double[] prec = BootstrapFixture.precision(z, f.decrypt(out));
            assertTrue(prec[1] > 16, mode + ": worst precision " + prec[1]);
            if (mode == BootstrappingKeys.Loading.ON_DEMAND) {
                assertFalse(read.allLoaded(), "on-demand keys are released after each stage");
            }
        }
    }

    @Test
    void readersRefuseOtherParametersAndCorruption(@TempDir Path dir) throws IOException {
        BootstrapFixture f = BootstrapFixture.encapsulated();
        f.keys.writeTo(dir);
        BootstrapFixture other = BootstrapFixture.fullSparseSecret();
        assertThrows(MalformedDataException.class,
                () -> BootstrappingKeys.readFrom(dir, other.bp, BootstrappingKeys.Loading.LAZY));
        byte[] enc = Files.readAllBytes(dir.resolve("encapsulation.key"));
        // truncated and out-of-range residues
        byte[] cut = java.util.Arrays.copyOf(enc, enc.length - 7);
        assertThrows(MalformedDataException.class,
                () -> EncapsulationKeys.read(new ByteArrayInputStream(cut), f.params));
        byte[] bad = enc.clone();
        for (int i = 4 + 4 + 32 + 4 + 32; i < 4 + 4 + 32 + 4 + 32 + 16; i++) {
            bad[i] = (byte) 0xFF;
        }
        assertThrows(MalformedDataException.class,
                () -> EncapsulationKeys.read(new ByteArrayInputStream(bad), f.params));
        // a Galois key file swapped for another: refused when the lazy loader reads it
        Path a = dir.resolve("galois-000.key");
        Path b = dir.resolve("galois-001.key");
        byte[] first = Files.readAllBytes(a);
        Files.write(a, Files.readAllBytes(b));
        BootstrappingKeys swapped = BootstrappingKeys.readFrom(dir, f.bp, BootstrappingKeys.Loading.LAZY);
        java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class,
                () -> new Bootstrapper(f.bp, swapped).bootstrap(
                        f.encryptForBootstrap(BootstrapFixture.randomComplex(f.bp.slots(), 1, false))));
        assertTrue(e.getCause() instanceof MalformedDataException, e.toString());
        Files.write(a, first);
        byte[] index = Files.readAllBytes(dir.resolve("bootstrapping-keys.index"));
        index[0] ^= 1;
        Files.write(dir.resolve("bootstrapping-keys.index"), index);
        assertThrows(MalformedDataException.class,
                () -> BootstrappingKeys.readFrom(dir, f.bp, BootstrappingKeys.Loading.EAGER));
    }

    @Test
    void encapsulationKeysRoundTrip() throws IOException {
        BootstrapFixture f = BootstrapFixture.encapsulated();
        EncapsulationKeys k = f.keys.encapsulationKeys();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        k.write(out);
        assertEquals(k.storedBytes(), out.size());
        EncapsulationKeys back = EncapsulationKeys.read(new ByteArrayInputStream(out.toByteArray()), f.params);
        assertEquals(k.ephemeralWeight(), back.ephemeralWeight());
        assertTrue(java.util.Arrays.equals(k.dtsB().limb(0), back.dtsB().limb(0)));
        assertTrue(java.util.Arrays.equals(k.stdAQ().limb(3), back.stdAQ().limb(3)));
    }
}
