package org.glovebox.app.keys;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.glovebox.he.ckks.GaloisKeys;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.ckks.PublicKey;
import org.glovebox.he.ckks.RelinearizationKey;
import org.glovebox.he.ckks.SecretKey;
import org.glovebox.he.ckks.Serialization;
import org.glovebox.ml.TrainingParameters;

/**
 * The on-disk layout of a key set: {@code <dir>/secret/} holds the secret key (directory 700, file 600 on POSIX
 * systems: it never leaves the hospital) and {@code <dir>/public/} holds what an untrusted party receives: the
 * parameters, the public key, and the relinearization and Galois keys for evaluation.
 */
public final class KeyDirectory {
    public static final String PUBLIC = "public";
    public static final String SECRET = "secret";
    public static final String PARAMETERS_FILE = "parameters.bin";
    public static final String PUBLIC_KEY_FILE = "public.key";
    public static final String RELIN_KEY_FILE = "relinearization.key";
    public static final String GALOIS_KEYS_FILE = "galois.keys";
    public static final String SECRET_KEY_FILE = "secret.key";
    /** Subdirectory of the public directory with the bootstrapping keys (training-bootstrap sets only). */
    public static final String BOOTSTRAPPING_DIR = "bootstrapping";

    private KeyDirectory() {
    }

    /** Writes a complete key set; refuses to overwrite an existing secret key. */
    public static void write(Path dir, Parameters params, SecretKey sk, PublicKey pk, RelinearizationKey rlk,
            GaloisKeys gks) throws IOException {
        Path pub = dir.resolve(PUBLIC);
        Path sec = dir.resolve(SECRET);
        if (Files.exists(sec.resolve(SECRET_KEY_FILE))) {
            throw new IOException("refusing to overwrite the existing secret key in " + sec);
        }
        Files.createDirectories(pub);
        Files.createDirectories(sec);
        ownerOnly(sec, true);
        write(pub.resolve(PARAMETERS_FILE), out -> Serialization.writeParameters(params, out));
        write(pub.resolve(PUBLIC_KEY_FILE), out -> Serialization.writePublicKey(pk, out));
        write(pub.resolve(RELIN_KEY_FILE), out -> Serialization.writeRelinearizationKey(rlk, out));
        write(pub.resolve(GALOIS_KEYS_FILE), out -> Serialization.writeGaloisKeys(gks, out));
        Path skFile = sec.resolve(SECRET_KEY_FILE);
        Files.createFile(skFile);
        ownerOnly(skFile, false);
        write(skFile, out -> Serialization.writeSecretKey(sk, out));
    }

    private static void ownerOnly(Path p, boolean directory) throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Set<PosixFilePermission> perms = PosixFilePermissions.fromString(directory ? "rwx------" : "rw-------");
            Files.setPosixFilePermissions(p, perms);
        }
    }

    /** A writing step. */
    @FunctionalInterface
    interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /** A reading step. */
    @FunctionalInterface
    public interface Reader<T> {
        T read(InputStream in) throws IOException;
    }

    private static void write(Path file, Writer w) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE))) {
            w.write(out);
        }
    }

    /** Reads a file with the given reader, naming the file in any error. */
    public static <T> T read(Path file, Reader<T> r) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("missing file " + file);
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return r.read(in);
        } catch (IOException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Checks that {@code publicDir} is a public key directory and holds no secret key, so a command meant for the
     * untrusted side can never pick one up by mistake.
     */
    public static void requirePublicOnly(Path publicDir) throws IOException {
        if (!Files.isDirectory(publicDir)) {
            throw new IOException(publicDir + " is not a directory");
        }
        if (Files.exists(publicDir.resolve(SECRET_KEY_FILE)) || Files.exists(publicDir.resolve(SECRET))) {
            throw new IOException(publicDir + " contains secret key material; give the public directory only"
                    + " (<keys>/" + PUBLIC + ")");
        }
        if (!Files.exists(publicDir.resolve(PARAMETERS_FILE))) {
            throw new IOException(publicDir + " has no " + PARAMETERS_FILE + "; is it a <keys>/" + PUBLIC
                    + " directory?");
        }
    }

    /**
     * The key directory's parameters. Insecure parameters are refused, except the explicitly named insecure test
     * set of {@link TrainingParameters#INSECURE_TEST_BOOTSTRAP_NAME} (which keygen only writes with a warning).
     */
    public static Parameters readParameters(Path publicDir) throws IOException {
        Path file = publicDir.resolve(PARAMETERS_FILE);
        Parameters p = read(file, in -> Serialization.readParameters(in, true));
        if (p.isInsecure() && TrainingParameters.bootstrappingFor(p).isEmpty()) {
            throw new IOException(file + ": insecure (test-only) parameters are refused");
        }
        return p;
    }

    public static PublicKey readPublicKey(Path publicDir, Parameters p) throws IOException {
        return read(publicDir.resolve(PUBLIC_KEY_FILE), in -> Serialization.readPublicKey(in, p));
    }

    public static RelinearizationKey readRelinearizationKey(Path publicDir, Parameters p) throws IOException {
        return read(publicDir.resolve(RELIN_KEY_FILE), in -> Serialization.readRelinearizationKey(in, p));
    }

    public static GaloisKeys readGaloisKeys(Path publicDir, Parameters p) throws IOException {
        return read(publicDir.resolve(GALOIS_KEYS_FILE), in -> Serialization.readGaloisKeys(in, p));
    }

    public static SecretKey readSecretKey(Path keysDir, Parameters p) throws IOException {
        return read(keysDir.resolve(SECRET).resolve(SECRET_KEY_FILE), in -> Serialization.readSecretKey(in, p));
    }
}
