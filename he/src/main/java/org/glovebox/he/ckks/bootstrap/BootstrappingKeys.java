package org.glovebox.he.ckks.bootstrap;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.glovebox.he.ckks.GaloisKeys;
import org.glovebox.he.ckks.KeyGenerator;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.ckks.ProtocolAccess;
import org.glovebox.he.ckks.RelinearizationKey;
import org.glovebox.he.ckks.SecretKey;
import org.glovebox.he.ckks.Serialization;
import org.glovebox.he.io.BinaryReader;
import org.glovebox.he.io.BinaryWriter;
import org.glovebox.he.io.MalformedDataException;
import org.glovebox.he.ring.Parallelism;

/**
 * The public evaluation keys bootstrapping needs: a relinearization key, the Galois keys of
 * {@link BootstrappingParameters#galoisElements()} (rotations of the homomorphic DFTs and of the sparse-packing trace,
 * and conjugation) and, with sparse-secret encapsulation, the two {@link EncapsulationKeys}. None of them reveals the
 * secret; they can be given to the party that computes.
 *
 * <p>Keys are held in memory, or read from a directory written by {@link #writeTo} either eagerly or lazily
 * ({@link Loading}): a lazily loaded Galois key is read the first time a bootstrapping stage needs it, and with
 * {@link Loading#ON_DEMAND} dropped again after the stage, which bounds memory by the keys of one stage.
 */
public final class BootstrappingKeys {
    /** How {@link #readFrom} loads the Galois keys. */
    public enum Loading {
        /** Everything at once. */
        EAGER,
        /** Each Galois key on first use, then kept. */
        LAZY,
        /** Each Galois key when a stage needs it, released after the stage (least memory, re-reads every time). */
        ON_DEMAND
    }

    private static final int INDEX_MAGIC = 0x47424B49; // "GBKI"
    private static final int INDEX_VERSION = 1;
    private static final String INDEX = "bootstrapping-keys.index";
    private static final String RELIN = "relinearization.key";
    private static final String ENCAPSULATION = "encapsulation.key";

    private final Parameters params;
    /** The SlotToCoeff sub-chain, or null. */
    private final Parameters subParams;
    private final RelinearizationKey rlk;
    private final EncapsulationKeys encapsulation;
    private final List<Part> parts;
    private final Map<Integer, Part> byElement = new TreeMap<>();
    private final Map<Integer, Part> bySubElement = new TreeMap<>();
    private final Loading loading;

    /** A group of Galois keys stored together (one file). */
    private static final class Part {
        final Set<Integer> elements;
        final boolean sub;
        final Path file;
        volatile GaloisKeys keys;

        Part(Set<Integer> elements, boolean sub, Path file, GaloisKeys keys) {
            this.elements = Collections.unmodifiableSet(new TreeSet<>(elements));
            this.sub = sub;
            this.file = file;
            this.keys = keys;
        }
    }

    private BootstrappingKeys(Parameters params, Parameters subParams, RelinearizationKey rlk, List<Part> parts,
            EncapsulationKeys encapsulation, Loading loading) {
        this.params = params;
        this.subParams = subParams;
        this.rlk = rlk;
        this.parts = parts;
        this.encapsulation = encapsulation;
        this.loading = loading;
        for (Part p : parts) {
            for (int g : p.elements) {
                if ((p.sub ? bySubElement : byElement).put(g, p) != null) {
                    throw new IllegalArgumentException("Galois element " + g + " appears in two key sets");
                }
            }
        }
    }

    /**
     * Keys from their parts, e.g. collectively generated ({@link org.glovebox.he.multiparty.GaloisKeyGen}):
     * {@code galois} are keys of the main parameters (one set, or one per element, which is best for lazy loading),
     * {@code slotToCoeffGalois} keys of {@link BootstrappingParameters#slotToCoeffParameters()} (empty for ModRaise
     * first), {@code encapsulation} null when the parameters do not use encapsulation.
     */
    public static BootstrappingKeys of(RelinearizationKey rlk, Collection<GaloisKeys> galois,
            Collection<GaloisKeys> slotToCoeffGalois, EncapsulationKeys encapsulation) {
        Parameters p = rlk.parameters();
        Parameters sub = null;
        List<Part> parts = new ArrayList<>();
        for (GaloisKeys g : galois) {
            if (!p.sameAs(g.parameters())) {
                throw new IllegalArgumentException("Galois keys belong to a different parameter set");
            }
            parts.add(new Part(g.galoisElements(), false, null, g));
        }
        for (GaloisKeys g : slotToCoeffGalois) {
            if (sub != null && !sub.sameAs(g.parameters())) {
                throw new IllegalArgumentException("SlotToCoeff Galois keys belong to different parameter sets");
            }
            sub = g.parameters();
            parts.add(new Part(g.galoisElements(), true, null, g));
        }
        if (encapsulation != null && !p.sameAs(encapsulation.parameters())) {
            throw new IllegalArgumentException("encapsulation keys belong to a different parameter set");
        }
        return new BootstrappingKeys(p, sub, rlk, parts, encapsulation, Loading.EAGER);
    }

    /** Keys for ModRaise-first parameters (no sub-chain keys). */
    public static BootstrappingKeys of(RelinearizationKey rlk, Collection<GaloisKeys> galois,
            EncapsulationKeys encapsulation) {
        return of(rlk, galois, List.of(), encapsulation);
    }

    /** Generates every key for {@code bp} from the secret key (one Galois key set per element), single-threaded. */
    public static BootstrappingKeys generate(BootstrappingParameters bp, SecretKey sk) {
        return generate(bp, sk, Parallelism.SERIAL);
    }

    /**
     * Generates every key for {@code bp} from the secret key; the relinearization and Galois keys use {@code par}
     * over RNS limbs (the keys are identical in distribution whatever the setting).
     */
    public static BootstrappingKeys generate(BootstrappingParameters bp, SecretKey sk, Parallelism par) {
        Parameters p = bp.parameters();
        if (!p.sameAs(sk.parameters())) {
            throw new IllegalArgumentException("secret key belongs to a different parameter set");
        }
        KeyGenerator kg = new KeyGenerator(p, par);
        RelinearizationKey rlk = kg.generateRelinearizationKey(sk);
        List<GaloisKeys> galois = new ArrayList<>();
        for (int g : bp.galoisElements()) {
            galois.add(kg.generateGaloisKeysForElements(sk, new int[] {g}));
        }
        List<GaloisKeys> sub = new ArrayList<>();
        if (bp.slotToCoeffParameters() != null) {
            Parameters sp = bp.slotToCoeffParameters();
            long[] coeffs = ProtocolAccess.secretCoefficients(sk);
            SecretKey subSk = ProtocolAccess.secretKey(sp, coeffs);
            java.util.Arrays.fill(coeffs, 0);
            KeyGenerator skg = new KeyGenerator(sp, par);
            for (int g : bp.slotToCoeffGaloisElements()) {
                sub.add(skg.generateGaloisKeysForElements(subSk, new int[] {g}));
            }
            subSk.destroy();
        }
        EncapsulationKeys enc = bp.ephemeralSecretWeight() > 0
                ? EncapsulationKeys.generate(sk, bp.ephemeralSecretWeight()) : null;
        return of(rlk, galois, sub, enc);
    }

    /**
     * The same secret as a key of {@link BootstrappingParameters#computationParameters()} (or back: a key of the
     * computation parameters as one of the full chain), for the keys and decryption of the computation between
     * bootstraps. The caller owns the result and should {@link SecretKey#destroy()} it when done.
     */
    public static SecretKey computationSecretKey(BootstrappingParameters bp, SecretKey sk) {
        Parameters target;
        if (bp.parameters().sameAs(sk.parameters())) {
            target = bp.computationParameters();
        } else if (bp.computationParameters().sameAs(sk.parameters())) {
            target = bp.parameters();
        } else {
            throw new IllegalArgumentException("secret key belongs to a different parameter set");
        }
        long[] coeffs = ProtocolAccess.secretCoefficients(sk);
        try {
            return ProtocolAccess.secretKey(target, coeffs);
        } finally {
            java.util.Arrays.fill(coeffs, 0);
        }
    }

    public Parameters parameters() {
        return params;
    }

    public RelinearizationKey relinearizationKey() {
        return rlk;
    }

    /** The encapsulation keys, or null when the parameters do not use encapsulation. */
    public EncapsulationKeys encapsulationKeys() {
        return encapsulation;
    }

    public Loading loading() {
        return loading;
    }

    /** The Galois elements covered on the main chain. */
    public Set<Integer> galoisElements() {
        return Collections.unmodifiableSet(byElement.keySet());
    }

    /** The Galois elements covered on the SlotToCoeff sub-chain. */
    public Set<Integer> slotToCoeffGaloisElements() {
        return Collections.unmodifiableSet(bySubElement.keySet());
    }

    public boolean hasElement(int g) {
        return byElement.containsKey(g);
    }

    /** The parameters of the SlotToCoeff sub-chain keys, or null. */
    public Parameters slotToCoeffParameters() {
        return subParams;
    }

    /** All Galois keys in one set (loads every key of a lazy set). */
    public GaloisKeys galoisKeys() {
        return galoisKeys(byElement.keySet().stream().mapToInt(Integer::intValue).toArray());
    }

    /** A set covering at least {@code elements}, loading what a lazy set has not read yet. */
    GaloisKeys galoisKeys(int[] elements) {
        return keysFrom(byElement, elements);
    }

    /** Sub-chain keys covering at least {@code elements}. */
    GaloisKeys slotToCoeffGaloisKeys(int[] elements) {
        return keysFrom(bySubElement, elements);
    }

    /** All sub-chain keys (loads them). */
    GaloisKeys slotToCoeffGaloisKeys() {
        return keysFrom(bySubElement, bySubElement.keySet().stream().mapToInt(Integer::intValue).toArray());
    }

    private GaloisKeys keysFrom(Map<Integer, Part> index, int[] elements) {
        TreeSet<Part> needed = new TreeSet<>((a, b) -> Integer.compare(parts.indexOf(a), parts.indexOf(b)));
        for (int g : elements) {
            Part p = index.get(g);
            if (p == null) {
                throw new IllegalArgumentException("no Galois key for element " + g);
            }
            needed.add(p);
        }
        GaloisKeys out = null;
        for (Part p : needed) {
            GaloisKeys k = load(p);
            out = out == null ? k : out.merge(k);
        }
        return out;
    }

    /** True if every Galois key is in memory (always, unless read lazily). */
    boolean allLoaded() {
        for (Part p : parts) {
            if (p.keys == null) {
                return false;
            }
        }
        return true;
    }

    /** Releases keys read {@link Loading#ON_DEMAND} after a stage. */
    void release() {
        if (loading == Loading.ON_DEMAND) {
            for (Part p : parts) {
                p.keys = null;
            }
        }
    }

    private GaloisKeys load(Part p) {
        GaloisKeys k = p.keys;
        if (k != null) {
            return k;
        }
        synchronized (p) {
            if (p.keys == null) {
                try (InputStream in = new BufferedInputStream(Files.newInputStream(p.file), 1 << 20)) {
                    GaloisKeys read = Serialization.readGaloisKeys(in, p.sub ? subParams : params);
                    if (!read.galoisElements().equals(p.elements)) {
                        throw new MalformedDataException(p.file + " holds other Galois elements than its index says");
                    }
                    p.keys = read;
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read Galois keys from " + p.file, e);
                }
            }
            return p.keys;
        }
    }

    /** Bytes one key-switching key occupies in memory (both halves expanded). */
    private static long switchingKeyMemory(Parameters ps) {
        return 2L * ps.digitCount(ps.maxLevel()) * (ps.maxLevel() + 1 + ps.specialPrimeCount()) * ps.n() * 8;
    }

    /** Bytes of one key-switching key serialized: the b halves packed at their prime widths, plus the seed. */
    private static long switchingKeyStored(Parameters ps) {
        long bits = 0;
        for (long q : ps.qPrimes()) {
            bits += 64 - Long.numberOfLeadingZeros(q);
        }
        for (long p : ps.pPrimes()) {
            bits += 64 - Long.numberOfLeadingZeros(p);
        }
        return ps.digitCount(ps.maxLevel()) * bits * ps.n() / 8 + 32;
    }

    /**
     * Memory the keys take once loaded, in bytes: the relinearization key and every Galois key with their uniform
     * halves expanded, plus the encapsulation keys.
     */
    public long sizeBytes() {
        return switchingKeyMemory(params) * (1 + byElement.size())
                + (subParams == null ? 0 : switchingKeyMemory(subParams) * bySubElement.size())
                + (encapsulation == null ? 0 : encapsulation.memoryBytes());
    }

    /** Size in bytes of the serialized keys ({@link #writeTo}: residues packed, uniform halves as seeds). */
    public long storedBytes() {
        return switchingKeyStored(params) * (1 + byElement.size())
                + (subParams == null ? 0 : switchingKeyStored(subParams) * bySubElement.size())
                + (encapsulation == null ? 0 : encapsulation.storedBytes());
    }

    /**
     * Writes the keys into {@code dir} (created if needed): an index, the relinearization key, one file per Galois
     * key set and the encapsulation keys, in the Glovebox binary format.
     */
    public void writeTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        try (OutputStream os = out(dir.resolve(RELIN))) {
            Serialization.writeRelinearizationKey(rlk, os);
        }
        if (encapsulation != null) {
            try (OutputStream os = out(dir.resolve(ENCAPSULATION))) {
                encapsulation.write(os);
            }
        }
        for (int i = 0; i < parts.size(); i++) {
            try (OutputStream os = out(dir.resolve(partFile(i)))) {
                Serialization.writeGaloisKeys(load(parts.get(i)), os);
            }
        }
        try (OutputStream os = out(dir.resolve(INDEX))) {
            BinaryWriter w = new BinaryWriter(os);
            w.writeInt(INDEX_MAGIC);
            w.writeInt(INDEX_VERSION);
            w.writeBytes(params.fingerprint());
            w.writeByte(encapsulation != null ? 1 : 0);
            w.writeInt(parts.size());
            for (Part p : parts) {
                w.writeByte(p.sub ? 1 : 0);
                w.writeInt(p.elements.size());
                for (int g : p.elements) {
                    w.writeInt(g);
                }
            }
            w.flush();
        }
    }

    private static String partFile(int i) {
        return String.format("galois-%03d.key", i);
    }

    private static OutputStream out(Path p) throws IOException {
        return new BufferedOutputStream(Files.newOutputStream(p), 1 << 20);
    }

    /**
     * Reads keys written by {@link #writeTo} for {@code bp}; the Galois keys eagerly or lazily. The index, the file
     * headers and every residue are validated; keys made for other parameters are refused.
     */
    public static BootstrappingKeys readFrom(Path dir, BootstrappingParameters bp, Loading loading)
            throws IOException {
        Parameters params = bp.parameters();
        List<Part> parts = new ArrayList<>();
        boolean hasEnc;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(dir.resolve(INDEX)))) {
            BinaryReader r = new BinaryReader(in);
            if (r.readInt() != INDEX_MAGIC) {
                throw new MalformedDataException("not a bootstrapping key index");
            }
            int version = r.readInt();
            if (version != INDEX_VERSION) {
                throw new MalformedDataException("unsupported bootstrapping key index version " + version);
            }
            if (!java.util.Arrays.equals(r.readBytes(32), params.fingerprint())) {
                throw new MalformedDataException("the keys were made for a different parameter set");
            }
            int flag = r.readUnsignedByte();
            if (flag > 1) {
                throw new MalformedDataException("bad encapsulation flag " + flag);
            }
            hasEnc = flag == 1;
            int count = r.readInt("key set count", 0, 4096);
            for (int i = 0; i < count; i++) {
                int chain = r.readUnsignedByte();
                if (chain > 1 || (chain == 1 && bp.slotToCoeffParameters() == null)) {
                    throw new MalformedDataException("key set " + i + " names an unknown chain " + chain);
                }
                int size = r.readInt("elements in key set " + i, 1, 4096);
                TreeSet<Integer> els = new TreeSet<>();
                for (int j = 0; j < size; j++) {
                    int g = r.readInt("Galois element", 3, 2 * params.n() - 1);
                    if ((g & 1) == 0 || !els.add(g)) {
                        throw new MalformedDataException("invalid or repeated Galois element " + g);
                    }
                }
                parts.add(new Part(els, chain == 1, dir.resolve(partFile(i)), null));
            }
            r.expectEnd();
        }
        if (hasEnc != (bp.ephemeralSecretWeight() > 0)) {
            throw new MalformedDataException("the keys " + (hasEnc ? "carry" : "lack") + " encapsulation keys, the"
                    + " parameters " + (hasEnc ? "do not use" : "need") + " them");
        }
        RelinearizationKey rlk;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(dir.resolve(RELIN)), 1 << 20)) {
            rlk = Serialization.readRelinearizationKey(in, params);
        }
        EncapsulationKeys enc = null;
        if (hasEnc) {
            try (InputStream in = new BufferedInputStream(Files.newInputStream(dir.resolve(ENCAPSULATION)), 1 << 20)) {
                enc = EncapsulationKeys.read(in, params);
            }
        }
        BootstrappingKeys keys = new BootstrappingKeys(params, bp.slotToCoeffParameters(), rlk, parts, enc, loading);
        if (loading == Loading.EAGER) {
            for (Part p : parts) {
                keys.load(p);
            }
        }
        return keys;
    }

    @Override
    public String toString() {
        return "BootstrappingKeys[" + byElement.size() + " Galois keys + " + bySubElement.size() + " on the SlotToCoeff"
                + " chain (" + loading + ")"
                + (encapsulation != null ? ", encapsulation h'=" + encapsulation.ephemeralWeight() : "")
                + ", " + params + "]";
    }
}
