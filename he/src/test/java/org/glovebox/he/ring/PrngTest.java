package org.glovebox.he.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The AES-256-CTR generator: determinism and byte-exact known answers. */
class PrngTest {
    private static final HexFormat HEX = HexFormat.of();
    /** 00 01 02 … 1f. */
    private static final byte[] SEED = HEX.parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

    /** AES-256-CTR keystream (IV = 0, big-endian 128-bit counter), built here from single-block AES-ECB calls. */
    private static byte[] referenceKeystream(byte[] key, int length) throws Exception {
        Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
        ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] counter = new byte[16];
        for (long block = 0; out.size() < length; block++) {
            for (int i = 0; i < 8; i++) {
                counter[15 - i] = (byte) (block >>> (8 * i));
            }
            out.write(ecb.doFinal(counter));
        }
        return java.util.Arrays.copyOf(out.toByteArray(), length);
    }

    private static byte[] bytes(Prng prng, int n) {
        byte[] b = new byte[n];
        prng.nextBytes(b);
        return b;
    }

    @Test
    void referenceAesIsAes256() throws Exception {
        // FIPS-197 appendix C.3 (AES-256): validates the reference construction used below.
        Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
        ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(SEED, "AES"));
        assertThat(HEX.formatHex(ecb.doFinal(HEX.parseHex("00112233445566778899aabbccddeeff"))))
                .isEqualTo("8ea2b7ca516745bfeafc49904b496089");
    }

    @Test
    void fixedSeedGivesTheKnownAes256CtrKeystream() throws Exception {
        // Literal computed independently with `openssl enc -aes-256-ctr -K 0001…1f -iv 0` over zero bytes.
        String openssl = "f29000b62a499fd0a9f39a6add2e7780f05d76ae4ab99fe5a6f69b3148c2363d"
                + "0ebcb5deb52c83bd08a8a935182c9199d24356532881602f809eb383c5ff5d56";
        byte[] first = bytes(Prng.fromSeed(SEED), 64);
        assertThat(HEX.formatHex(first)).isEqualTo(openssl);
        assertThat(first).isEqualTo(referenceKeystream(SEED, 64));
    }

    @Test
    void streamMatchesReferenceAcrossInternalBufferBoundariesWhateverTheChunking() throws Exception {
        int total = 3 * 4096 + 777;
        byte[] expected = referenceKeystream(SEED, total);
        Prng prng = Prng.fromSeed(SEED);
        byte[] got = new byte[total];
        int off = 0;
        int[] chunks = {1, 7, 4095, 2, 4096, 13, 5000};
        for (int i = 0; off < total; i++) {
            int len = Math.min(chunks[i % chunks.length], total - off);
            byte[] part = bytes(prng, len);
            System.arraycopy(part, 0, got, off, len);
            off += len;
        }
        assertThat(got).isEqualTo(expected);
        // bytes 4184..4199 (second buffer), from openssl as well
        assertThat(HEX.formatHex(java.util.Arrays.copyOfRange(got, 4184, 4200)))
                .isEqualTo("48b808065e94b8cd0dcb294b20fb7cea");
    }

    @Test
    void nextLongIsLittleEndianAndNextByteFollowsTheStream() throws Exception {
        byte[] ks = referenceKeystream(SEED, 32);
        Prng prng = Prng.fromSeed(SEED);
        long expected = 0;
        for (int i = 7; i >= 0; i--) {
            expected = (expected << 8) | (ks[i] & 0xFF);
        }
        assertThat(prng.nextLong()).isEqualTo(expected);
        assertThat(prng.nextByte()).isEqualTo(ks[8] & 0xFF);
        assertThat(prng.nextByte()).isEqualTo(ks[9] & 0xFF);
    }

    @Test
    void sameSeedSameStreamDifferentSeedDifferentStream() {
        Prng a = Prng.fromSeed(SEED);
        Prng b = Prng.fromSeed(SEED);
        for (int i = 0; i < 3000; i++) {
            switch (i % 4) {
                case 0 -> assertThat(a.nextLong()).isEqualTo(b.nextLong());
                case 1 -> assertThat(a.nextByte()).isEqualTo(b.nextByte());
                case 2 -> assertThat(a.nextDouble()).isEqualTo(b.nextDouble());
                default -> assertThat(a.nextSeed()).isEqualTo(b.nextSeed());
            }
        }
        byte[] other = SEED.clone();
        other[31] ^= 1;
        assertThat(bytes(Prng.fromSeed(other), 64)).isNotEqualTo(bytes(Prng.fromSeed(SEED), 64));
        assertThat(bytes(Prng.fresh(), 32)).isNotEqualTo(bytes(Prng.fresh(), 32));
        assertThat(Prng.freshSeed()).hasSize(Prng.SEED_BYTES).isNotEqualTo(Prng.freshSeed());
    }

    @Test
    void seedIsCopiedAtConstruction() {
        byte[] seed = SEED.clone();
        Prng prng = Prng.fromSeed(seed);
        java.util.Arrays.fill(seed, (byte) 0);
        assertThat(bytes(prng, 64)).isEqualTo(bytes(Prng.fromSeed(SEED), 64));
    }

    @Test
    void nextDoubleIsInUnitInterval() {
        Prng prng = Prng.fromSeed(SEED);
        double sum = 0;
        for (int i = 0; i < 100_000; i++) {
            double d = prng.nextDouble();
            assertThat(d).isGreaterThanOrEqualTo(0).isLessThan(1);
            sum += d;
        }
        assertThat(sum / 100_000).isBetween(0.49, 0.51);
    }

    @Test
    void rejectsSeedsOfTheWrongLength() {
        for (int len : new int[] {0, 16, 31, 33, 64}) {
            assertThatThrownBy(() -> Prng.fromSeed(new byte[len]))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("32");
        }
    }

    @Test
    void uniformResiduesMatchesRejectionSamplingWithNextLongAcrossBufferBoundaries() {
        byte[] seed = new byte[Prng.SEED_BYTES];
        seed[3] = 9;
        long q = (1L << 40) - 87; // ~ half the candidates of a 41-bit mask are rejected below
        for (long mask : new long[] {(1L << 40) - 1, (1L << 41) - 1}) {
            for (int skip : new int[] {0, 1, 5, 8, 4093}) {
                Prng a = Prng.fromSeed(seed);
                Prng b = Prng.fromSeed(seed);
                for (int i = 0; i < skip; i++) {
                    assertThat(a.nextByte()).isEqualTo(b.nextByte());
                }
                for (int round = 0; round < 3; round++) {
                    long[] expected = new long[1500];
                    for (int j = 0; j < expected.length; j++) {
                        long v;
                        do {
                            v = a.nextLong() & mask;
                        } while (v >= q);
                        expected[j] = v;
                    }
                    long[] actual = new long[1500];
                    b.uniformResidues(actual, q, mask);
                    assertThat(actual).containsExactly(expected);
                    assertThat(b.nextByte()).isEqualTo(a.nextByte());
                }
            }
        }
    }
}
