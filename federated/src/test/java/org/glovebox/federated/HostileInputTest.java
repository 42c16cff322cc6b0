package org.glovebox.federated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.glovebox.federated.audit.AuditLog;
import org.glovebox.federated.coordinator.Coordinator;
import org.glovebox.federated.coordinator.Store;
import org.glovebox.federated.crypto.AggregationScheme;
import org.glovebox.federated.pki.PemFiles;
import org.glovebox.federated.pki.SealedBox;
import org.glovebox.federated.study.StudyDefinition;
import org.glovebox.federated.wire.Payloads;
import org.glovebox.federated.wire.Wire;
import org.glovebox.federated.wire.WireException;
import org.glovebox.he.ckks.Encryptor;
import org.glovebox.he.ckks.KeyGenerator;
import org.glovebox.he.ckks.Parameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every reader refuses truncated, extended, bit-flipped and out-of-range input with a clear exception. */
class HostileInputTest {
    private static final byte[] SID = new byte[16];

    @TempDir
    Path tmp;

    interface Reader {
        Object read(byte[] b) throws Exception;
    }

    /** Truncations, extensions and random bit flips: only WireException (or a valid object) may come out. */
    private static void fuzz(byte[] valid, Reader r) throws Exception {
        assertThat(r.read(valid)).isNotNull();
        for (int n = 0; n < valid.length; n++) {
            byte[] t = java.util.Arrays.copyOf(valid, n);
            assertThatThrownBy(() -> r.read(t)).isInstanceOf(WireException.class);
        }
        byte[] longer = java.util.Arrays.copyOf(valid, valid.length + 3);
        assertThatThrownBy(() -> r.read(longer)).isInstanceOf(WireException.class);
        Random rnd = new Random(7);
        for (int i = 0; i < 300; i++) {
            byte[] f = valid.clone();
            f[rnd.nextInt(f.length)] ^= (byte) (1 << rnd.nextInt(8));
            try {
                r.read(f);
            } catch (WireException e) {
                assertThat(e.getMessage()).isNotBlank();
            }
        }
    }

    @Test
    void wireFrames() throws Exception {
        fuzz(Wire.write(new Wire.NextRequest(SID)), Wire::readNextRequest);
        fuzz(Wire.write(new Wire.Task(SID, Wire.TaskType.DECRYPT, 3, 1, 0, new int[] {0, 2}, "decrypt")),
                Wire::readTask);
        fuzz(Wire.write(new Wire.FetchRequest(SID, Wire.Kind.MODEL, 2, 0)), Wire::readFetchRequest);
        fuzz(Wire.write(new Wire.TransferHeader(SID, Wire.Kind.UPDATE, 2, 0, 3, 99, new byte[32])),
                Wire::readTransferHeader);
        fuzz(Wire.write(new Wire.Chunk(SID, 4, new byte[] {1, 2, 3})), Wire::readChunk);
        fuzz(Wire.write(new Wire.Ack(SID, true, "ok")), Wire::readAck);
        assertThatThrownBy(() -> Wire.readFetchRequest(Wire.write(new Wire.FetchRequest(SID, Wire.Kind.UPDATE, 1,
                0)))).hasMessageContaining("cannot be fetched");
        // a chunk declaring a huge length must not allocate it
        byte[] c = Wire.write(new Wire.Chunk(SID, 0, new byte[0]));
        c[c.length - 4] = 0x7f;
        assertThatThrownBy(() -> Wire.readChunk(c)).hasMessageContaining("chunk length");
        // a peer of protocol version 1 (uncompressed chunks), 2 (whole aggregates to decryptors) or 3 (public-key
        // uploads only) is told so
        byte[] v1 = Wire.write(new Wire.NextRequest(SID));
        assertThat(new String(v1, 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("GBF4");
        v1[3] = '1';
        assertThatThrownBy(() -> Wire.readNextRequest(v1)).isInstanceOf(WireException.class)
                .hasMessageContaining("version 1");
        byte[] v2 = Wire.write(new Wire.Task(SID, Wire.TaskType.WAIT, 3, 0, 200, new int[0], "wait"));
        v2[3] = '2';
        assertThatThrownBy(() -> Wire.readTask(v2)).isInstanceOf(WireException.class)
                .hasMessageContaining("version 2 (GBF2)").hasMessageContaining("version 4 (GBF4)");
        byte[] v3 = Wire.write(new Wire.Task(SID, Wire.TaskType.TRAIN, 3, 0, 0, new int[0], "train"));
        v3[3] = '3';
        assertThatThrownBy(() -> Wire.readTask(v3)).isInstanceOf(WireException.class)
                .hasMessageContaining("version 3 (GBF3)");
    }

    @Test
    void decryptTaskAttachments() throws Exception {
        // a DECRYPT task with the aggregate masks attached survives truncation, extension and bit flips
        List<byte[]> masks = List.of(new byte[] {1, 2, 3}, new byte[0], new byte[] {4});
        Wire.Task t = new Wire.Task(SID, Wire.TaskType.DECRYPT, 3, 1, 0, new int[] {0, 2}, "decrypt", masks);
        Wire.Task back = Wire.readTask(Wire.write(t));
        assertThat(back.attachment()).hasSize(3);
        assertThat(back.attachment().get(0)).containsExactly(1, 2, 3);
        assertThat(back.attachment().get(2)).containsExactly(4);
        fuzz(Wire.write(t), Wire::readTask);
        // a seeded decryption task names the round and the active set; the masks come from the round's seeds
        Wire.Task seeded = new Wire.Task(SID, Wire.TaskType.DECRYPT_SEEDED, 4, 0, 0, new int[] {0, 1}, "decrypt");
        assertThat(Wire.readTask(Wire.write(seeded)).type()).isEqualTo(Wire.TaskType.DECRYPT_SEEDED);
        fuzz(Wire.write(seeded), Wire::readTask);
        assertThatThrownBy(() -> new Wire.Task(SID, Wire.TaskType.DECRYPT_SEEDED, 4, 0, 0, new int[] {0, 1}, "x",
                masks)).isInstanceOf(IllegalArgumentException.class);
        // only a DECRYPT task carries an attachment: neither writable nor readable on another task
        assertThatThrownBy(() -> new Wire.Task(SID, Wire.TaskType.TRAIN, 3, 0, 0, new int[0], "x", masks))
                .isInstanceOf(IllegalArgumentException.class);
        byte[] train = Wire.write(new Wire.Task(SID, Wire.TaskType.TRAIN, 3, 0, 0, new int[0], "x"));
        byte[] attachedToTrain = java.util.Arrays.copyOf(train, train.length + 4); // count 1, one empty chunk
        java.nio.ByteBuffer.wrap(attachedToTrain, train.length - 4, 8).putInt(1).putInt(0);
        assertThatThrownBy(() -> Wire.readTask(attachedToTrain)).isInstanceOf(WireException.class)
                .hasMessageContaining("carries no attachment");
        // declared lengths beyond the frame or the attachment limit are refused before anything is allocated
        byte[] frame = Wire.write(new Wire.Task(SID, Wire.TaskType.DECRYPT, 3, 1, 0, new int[] {0, 2}, "d",
                List.of(new byte[] {9})));
        byte[] beyondFrame = frame.clone();
        java.nio.ByteBuffer.wrap(beyondFrame, beyondFrame.length - 5, 4).putInt(1000);
        assertThatThrownBy(() -> Wire.readTask(beyondFrame)).isInstanceOf(WireException.class)
                .hasMessageContaining("truncated");
        byte[] huge = frame.clone();
        java.nio.ByteBuffer.wrap(huge, huge.length - 5, 4).putInt(Wire.MAX_CHUNK_BYTES);
        assertThatThrownBy(() -> Wire.readTask(huge)).isInstanceOf(WireException.class)
                .hasMessageContaining("exceeds " + Wire.MAX_ATTACHMENT_BYTES);
        byte[] big = new byte[Wire.MAX_ATTACHMENT_BYTES / 2 + 1];
        byte[] tooMuch = Wire.write(new Wire.Task(SID, Wire.TaskType.DECRYPT, 3, 1, 0, new int[] {0, 2}, "d",
                List.of(big, big)));
        assertThatThrownBy(() -> Wire.readTask(tooMuch)).isInstanceOf(WireException.class)
                .hasMessageContaining("exceeds " + Wire.MAX_ATTACHMENT_BYTES);
    }

    @Test
    void aggregateMasksRefuseOtherParametersShapesAndCiphertexts() throws Exception {
        StudyDefinition study = StudyDefinition.parse(Cluster.studyText(3, ""));
        AggregationScheme s = AggregationScheme.forStudy(study, 10);
        Parameters p = s.parameters();
        Encryptor enc = Encryptor.withPublicKey(new KeyGenerator(p).generatePublicKey(new KeyGenerator(p).generateSecretKey()));
        org.glovebox.he.ckks.Ciphertext ct = org.glovebox.he.ckks.Serialization.compressedCiphertextFromBytes(
                s.encodeChunk(enc, new double[] {1, 2, 3}, 0, s.updateScale()), p);
        byte[] mask = s.maskToBytes(ct);
        org.glovebox.he.ckks.Ciphertext m = s.readMask(mask);
        assertThat(m.level()).isZero();
        assertThat(m.scale()).isEqualTo(ct.scale());
        assertThat(org.glovebox.he.ckks.ProtocolAccess.ciphertextPart(m, 1).limb(0))
                .containsExactly(org.glovebox.he.ckks.ProtocolAccess.ciphertextPart(ct, 1).limb(0));
        assertThat(org.glovebox.he.ckks.ProtocolAccess.ciphertextPart(m, 0).limb(0)).containsOnly(0L);
        // about half a ciphertext: only c_1 travels
        assertThat(mask.length).isLessThan(org.glovebox.he.ckks.Serialization.toBytes(ct).length * 6 / 10);
        for (int n : new int[] {0, 10, mask.length / 2, mask.length - 1}) {
            assertThatThrownBy(() -> s.readMask(java.util.Arrays.copyOf(mask, n))).isInstanceOf(WireException.class);
        }
        assertThatThrownBy(() -> s.readMask(java.util.Arrays.copyOf(mask, mask.length + 1)))
                .isInstanceOf(WireException.class);
        byte[] bad = mask.clone();
        bad[20] ^= 1; // inside the parameter fingerprint
        assertThatThrownBy(() -> s.readMask(bad)).isInstanceOf(WireException.class);
        // a residue at or above q is refused
        byte[] outOfRange = mask.clone();
        java.util.Arrays.fill(outOfRange, outOfRange.length - 8, outOfRange.length, (byte) 0xff);
        assertThatThrownBy(() -> s.readMask(outOfRange)).isInstanceOf(WireException.class);
        // a whole (or compressed) ciphertext is not a mask, nor is a sparsely packed polynomial
        assertThatThrownBy(() -> s.readMask(org.glovebox.he.ckks.Serialization.toBytes(ct)))
                .isInstanceOf(WireException.class).hasMessageContaining("malformed aggregate mask");
        byte[] sparse = org.glovebox.he.ckks.Serialization.toBytes(org.glovebox.he.ckks.ProtocolAccess.plaintext(p,
                org.glovebox.he.ckks.ProtocolAccess.ciphertextPart(ct, 1), 0, ct.scale(), 4));
        assertThatThrownBy(() -> s.readMask(sparse)).isInstanceOf(WireException.class)
                .hasMessageContaining("slots");
        // the mask of another parameter set
        Parameters other = Parameters.builder().logN(10).primeBits(new int[] {50}, new int[] {50}).logScale(30)
                .insecureForTestingOnly().build();
        byte[] foreign = org.glovebox.he.ckks.Serialization.toBytes(new org.glovebox.he.ckks.Encoder(other)
                .encode(new double[] {1}));
        assertThatThrownBy(() -> s.readMask(foreign)).isInstanceOf(WireException.class);
    }

    @Test
    void payloads() throws Exception {
        Payloads.SessionInfo info = new Payloads.SessionInfo(new byte[16], new byte[32], 2, new byte[32],
                List.of(new Payloads.Party(0, "a", 1, "PEM"), new Payloads.Party(1, "b", 2, "PEM")));
        fuzz(info.toBytes(), b -> Payloads.SessionInfo.read(b, 2));
        assertThatThrownBy(() -> Payloads.SessionInfo.read(info.toBytes(), 3)).hasMessageContaining("enrols 3");
        fuzz(Payloads.doubles(new double[] {1, 2, 3}), b -> Payloads.readDoubles(b, 3));
        assertThatThrownBy(() -> Payloads.readDoubles(Payloads.doubles(new double[] {Double.NaN}), 1))
                .hasMessageContaining("not finite");
    }

    @Test
    void aggregationChunksRefuseOtherParametersShapesAndScales() throws Exception {
        StudyDefinition study = StudyDefinition.parse(Cluster.studyText(3, ""));
        AggregationScheme s = AggregationScheme.forStudy(study, 10);
        Parameters p = s.parameters();
        Encryptor enc = Encryptor.withPublicKey(new KeyGenerator(p).generatePublicKey(new KeyGenerator(p).generateSecretKey()));
        byte[] ct = s.encodeChunk(enc, new double[] {1, 2, 3}, 0, s.updateScale());
        assertThat(s.readChunk(ct, s.updateScale())).isNotNull();
        assertThatThrownBy(() -> s.readChunk(ct, s.integerScale())).hasMessageContaining("wrong shape");
        byte[] bad = ct.clone();
        bad[20] ^= 1; // inside the parameter fingerprint
        assertThatThrownBy(() -> s.readChunk(bad, s.updateScale())).isInstanceOf(WireException.class);
        for (int n : new int[] {0, 10, ct.length / 2, ct.length - 1}) {
            assertThatThrownBy(() -> s.readChunk(java.util.Arrays.copyOf(ct, n), s.updateScale()))
                    .isInstanceOf(WireException.class);
        }
        // a ciphertext of another parameter set (wrong-parameter message)
        Parameters other = Parameters.builder().logN(10).primeBits(new int[] {50}, new int[] {50}).logScale(30)
                .insecureForTestingOnly().build();
        byte[] foreign = org.glovebox.he.ckks.Serialization.toBytes(Encryptor.withSecretKey(
                new KeyGenerator(other).generateSecretKey()).encrypt(new org.glovebox.he.ckks.Encoder(other)
                .encode(new double[] {1})));
        assertThatThrownBy(() -> s.readChunk(foreign, s.updateScale())).hasMessageContaining("malformed ciphertext");
        // the same ciphertext at other widths than the study's (a narrower c_0 or c_1 would add noise beyond the
        // budget the smudging was sized for), and uncompressed
        org.glovebox.he.ckks.Ciphertext parsed = org.glovebox.he.ckks.Serialization.compressedCiphertextFromBytes(ct,
                p);
        byte[] narrow = org.glovebox.he.ckks.Serialization.toCompressedBytes(parsed, s.c0Bits() - 1, s.c1Bits());
        assertThatThrownBy(() -> s.readChunk(narrow, s.updateScale())).isInstanceOf(WireException.class)
                .hasMessageContaining("expected " + s.c0Bits() + " + " + s.c1Bits());
        byte[] uncompressed = org.glovebox.he.ckks.Serialization.toBytes(parsed);
        assertThatThrownBy(() -> s.readChunk(uncompressed, s.updateScale())).isInstanceOf(WireException.class)
                .hasMessageContaining("COMPRESSED_CIPHERTEXT");
        assertThat(ct).hasSize(s.chunkBytes()).hasSizeLessThan(uncompressed.length);
        // uploads under a key share: c_0 alone, of the study's width and scale, never mistaken for a ciphertext
        org.glovebox.he.multiparty.Session session = org.glovebox.he.multiparty.Session.create(p, 3);
        org.glovebox.he.multiparty.KeyShareEncryptor ks = new org.glovebox.he.multiparty.KeyShareEncryptor(
                org.glovebox.he.multiparty.SecretKeyShare.generate(p, session.party(0)));
        byte[] seed = AggregationScheme.uploadMaskSeed(session.id(), 2, 0, 1);
        byte[] part = s.encodeKeyShareChunk(ks, seed, new double[] {1, 2, 3}, 0, s.updateScale());
        assertThat(s.isKeyShareChunk(s.readChunk(part, s.updateScale()))).isTrue();
        assertThat(s.isKeyShareChunk(s.readChunk(ct, s.updateScale()))).isFalse();
        assertThat(part.length).isLessThan(ct.length * 6 / 10);
        assertThatThrownBy(() -> s.readChunk(part, s.integerScale())).hasMessageContaining("wrong shape");
        for (int n : new int[] {0, 10, 39, 46, part.length / 2, part.length - 1, part.length + 1}) {
            byte[] cut = java.util.Arrays.copyOf(part, n);
            assertThatThrownBy(() -> s.readChunk(cut, s.updateScale())).isInstanceOf(WireException.class);
        }
        // a decrypting hospital's expanded mask is the aggregate's: the same shares either way
        Object sum = s.readChunk(part, s.updateScale());
        org.glovebox.he.ckks.Ciphertext agg = s.keyShareAggregate(sum, seed);
        assertThat(s.maskToBytes(agg)).isEqualTo(s.maskToBytes(s.keyShareMask(seed, s.updateScale())));
        // one mask per session, round, attempt and chunk
        java.util.Set<String> seeds = new java.util.HashSet<>();
        for (byte[] sid : new byte[][] {session.id(), org.glovebox.he.multiparty.Session.create(p, 3).id()}) {
            for (int r = 0; r < 3; r++) {
                for (int a = 0; a < 2; a++) {
                    for (int ch = 0; ch < 3; ch++) {
                        seeds.add(java.util.HexFormat.of().formatHex(AggregationScheme.uploadMaskSeed(sid, r, a, ch)));
                    }
                }
            }
        }
        assertThat(seeds).hasSize(2 * 3 * 2 * 3);
        // exact integers round-trip through digits
        BigInteger[] v = {BigInteger.valueOf(-123456789012345L), BigInteger.ONE.shiftLeft(90), BigInteger.ZERO};
        double[] digits = s.integerDigits(v, 6);
        assertThat(s.integersFromDigits(digits, 3, 6)).containsExactly(v);
    }

    @Test
    void studyDefinitions() {
        assertThatThrownBy(() -> StudyDefinition.parse("name: x\ncohort: example:edin\nhospitals: [a, a]\n"))
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> StudyDefinition.parse("name: x\ncohort: example:edin\nhospitals: [a]\nrounds: -1\n"))
                .hasMessageContaining("rounds");
        assertThatThrownBy(() -> StudyDefinition.parse("name: x\ncohort: example:edin\nhospitals: [a]\nbogus: 1\n"))
                .hasMessageContaining("unknown study field");
        assertThatThrownBy(() -> StudyDefinition.parse("name: x\ncohort: example:edin\nhospitals: [a, b]\n"
                + "threshold: 3\n")).hasMessageContaining("threshold");
        assertThatThrownBy(() -> StudyDefinition.parse("name: x\ncohort: example:edin\nhospitals: [a]\n"
                + "aggregation: plaintext\n")).hasMessageContaining("INSECURE_PLAINTEXT");
        assertThatThrownBy(() -> StudyDefinition.parse("name: x\ncohort: example:edin\nhospitals: [a]\n"
                + "encryption: {logN: 10}\n")).hasMessageContaining("logN");
        assertThatThrownBy(() -> StudyDefinition.parse("name: x\ncohort: example:edin\nhospitals: [a]\n"
                + "encryption: {logN: 11}\n")).hasMessageContaining("[12, 16]");
        // the default ring is the smallest secure one: N = 2^12, one 60-bit prime and a 49-bit special prime
        StudyDefinition small = StudyDefinition.parse("name: x\ncohort: example:edin\nhospitals: [a]\n");
        assertThat(small.logN()).isEqualTo(12);
        Parameters ring = AggregationScheme.parametersFor(small);
        assertThat(ring.isInsecure()).isFalse();
        assertThat(ring.logQP()).isLessThanOrEqualTo(109);
        assertThatThrownBy(() -> StudyDefinition.parse("[1, 2")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sealedBoxesOpenOnlyUnalteredForTheirRecipient() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair a = g.generateKeyPair();
        KeyPair b = g.generateKeyPair();
        KeyPair c = g.generateKeyPair();
        byte[] box = SealedBox.seal(a.getPrivate(), b.getPublic(), SID, "a", "b", new byte[] {1, 2, 3});
        assertThat(SealedBox.open(b.getPrivate(), a.getPublic(), SID, "a", "b", box)).containsExactly(1, 2, 3);
        byte[] flipped = box.clone();
        flipped[box.length - 1] ^= 1;
        assertThatThrownBy(() -> SealedBox.open(b.getPrivate(), a.getPublic(), SID, "a", "b", flipped))
                .isInstanceOf(java.security.GeneralSecurityException.class);
        assertThatThrownBy(() -> SealedBox.open(c.getPrivate(), a.getPublic(), SID, "a", "c", box))
                .isInstanceOf(java.security.GeneralSecurityException.class);
        assertThatThrownBy(() -> SealedBox.open(b.getPrivate(), a.getPublic(), SID, "x", "b", box))
                .isInstanceOf(java.security.GeneralSecurityException.class);
        assertThatThrownBy(() -> SealedBox.open(b.getPrivate(), a.getPublic(), SID, "a", "b", new byte[5]))
                .isInstanceOf(java.security.GeneralSecurityException.class);
    }

    @Test
    void uploadsAreIdempotentByStudyRoundAndHospital() throws Exception {
        String text = Cluster.studyText(1, "aggregation: INSECURE_PLAINTEXT_AGGREGATION_FOR_BENCHMARKS\n");
        try (Cluster cl = new Cluster(tmp, text); Store store = new Store("jdbc:h2:mem:idem");
                AuditLog audit = AuditLog.open(tmp.resolve("a.log"))) {
            Coordinator co = new Coordinator(cl.study, store, audit);
            co.identify("hospital-1", PemFiles.readCertificate(tmp.resolve("pki/hospital-1.crt")));
            co.tick();
            AggregationScheme s = co.scheme();
            List<byte[]> chunks = new ArrayList<>();
            BigInteger[] stats = new BigInteger[19];
            java.util.Arrays.fill(stats, BigInteger.TEN);
            double[] digits = s.integerDigits(stats, 6);
            chunks.add(s.encodeChunk(null, digits, 0, s.integerScale()));
            Wire.Ack first = upload(co, cl.study.id(), Wire.Kind.STATS, 0, chunks);
            assertThat(first.duplicate()).isFalse();
            Wire.Ack again = upload(co, cl.study.id(), Wire.Kind.STATS, 0, chunks);
            assertThat(again.duplicate()).isTrue();
            assertThatThrownBy(() -> upload(co, cl.study.id(), Wire.Kind.STATS, 5, chunks))
                    .hasMessageContaining("wrong round");
            assertThat(co.reports()).isEmpty();
        }
    }

    @Test
    void aCollectionTakesOnlyItsOwnKindOfUpload() throws Exception {
        // round 1 collects uploads under key shares; hospital-3 vanishes on its task, so after the timeout the round
        // collects public-key uploads (attempt 1): each collection refuses the other kind, and a late key-share upload
        // minHospitals 3: the public-key collection waits for hospital-3 (the window for the refusals below)
        String text = Cluster.studyText(3, "rounds: 2\nthreshold: 2\nminHospitals: 3\n").replace(
                "timeouts: {roundSeconds: 20, decryptionSeconds: 10}", "timeouts: {roundSeconds: 6, decryptionSeconds: 10}");
        try (Cluster c = new Cluster(tmp, text)) {
            Coordinator co = c.startCoordinator();
            c.startHospital(0);
            c.startHospital(1);
            c.startHospital(2).disconnectInRound(1);
            long until = System.currentTimeMillis() + 60_000;
            while (co.standardization() == null && System.currentTimeMillis() < until) {
                Thread.sleep(5);
            }
            assertThat(co.standardization()).as("round 0 released").isNotNull();
            AggregationScheme s = co.scheme();
            byte[] pkBytes = co.fetch("hospital-3", new Wire.FetchRequest(c.study.id(), Wire.Kind.PUBLIC_KEY, 0, 0))
                    .chunk(0);
            Encryptor enc = Encryptor.withPublicKey(org.glovebox.he.ckks.Serialization.fromBytes(pkBytes,
                    in -> org.glovebox.he.ckks.Serialization.readPublicKey(in, s.parameters())));
            org.glovebox.he.multiparty.KeyShareEncryptor ks = new org.glovebox.he.multiparty.KeyShareEncryptor(
                    org.glovebox.he.multiparty.SecretKeyShare.generate(s.parameters(),
                            org.glovebox.he.multiparty.Session.create(s.parameters(), 3).party(2)));
            double[] values = new double[co.modelSize() + AggregationScheme.EVAL_VALUES];
            List<byte[]> whole = new ArrayList<>();
            List<byte[]> keyShare = new ArrayList<>();
            for (int i = 0; i < s.trainingChunks(); i++) {
                whole.add(s.encodeChunk(enc, values, i * s.valuesPerChunk(), s.updateScale()));
                keyShare.add(s.encodeKeyShareChunk(ks, new byte[32], values, i * s.valuesPerChunk(),
                        s.updateScale()));
            }
            assertThatThrownBy(() -> upload(co, "hospital-3", c.study.id(), Wire.Kind.UPDATE, 1, 0, whole))
                    .isInstanceOf(WireException.class).hasMessageContaining("under key shares");
            Path log = tmp.resolve("audit.log");
            while (!java.nio.file.Files.readString(log).contains("collecting public-key uploads instead")
                    && System.currentTimeMillis() < until) {
                Thread.sleep(20);
            }
            assertThatThrownBy(() -> upload(co, "hospital-3", c.study.id(), Wire.Kind.UPDATE, 1, 1, keyShare))
                    .isInstanceOf(WireException.class).hasMessageContaining("public-key ciphertexts");
            assertThatThrownBy(() -> upload(co, "hospital-3", c.study.id(), Wire.Kind.UPDATE, 1, 0, keyShare))
                    .isInstanceOf(WireException.class).hasMessageContaining("wrong round");
            c.startHospital(2);
            assertThat(co.awaitFinished(90_000)).isTrue();
            // round 1 was released from the public-key uploads (hospital-3's too, if it came back in time)
            assertThat(co.reports().get(0).participants()).contains("hospital-1", "hospital-2");
        }
    }

    private static Wire.Ack upload(Coordinator co, byte[] sid, Wire.Kind kind, int round, List<byte[]> chunks)
            throws Exception {
        return upload(co, "hospital-1", sid, kind, round, 0, chunks);
    }

    private static Wire.Ack upload(Coordinator co, String hospital, byte[] sid, Wire.Kind kind, int round, int attempt,
            List<byte[]> chunks) throws Exception {
        List<byte[]> frames = Wire.frames(sid, kind, round, attempt, chunks);
        Coordinator.Upload u = co.begin(hospital, Wire.readTransferHeader(frames.get(0)));
        for (int i = 1; i < frames.size(); i++) {
            u.chunk(Wire.readChunk(frames.get(i)));
        }
        return u.finish();
    }
}
