package org.glovebox.he.ckks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Secret-key hygiene and noise-flooded release decryption. */
class SecretKeyAndReleaseTest {
    @Test
    void keysNeverPrintTheirContents() {
        CkksFixture f = CkksFixture.small();
        String s = f.sk.toString();
        assertThat(s).contains("SecretKey").contains("hidden").hasSizeLessThan(300);
        // no residue of the key appears in the text
        for (int i = 0; i < 64; i++) {
            long v = f.sk.q().limb(0)[i];
            if (v > 1000) {
                assertThat(s).doesNotContain(Long.toString(v));
            }
        }
        assertThat(f.pk.toString()).hasSizeLessThan(300);
        assertThat(f.rlk.toString()).hasSizeLessThan(300);
        assertThat(f.gks.toString()).hasSizeLessThan(300);
    }

    @Test
    void destroyedSecretKeyRefusesEveryUse() {
        Parameters p = TestSupport.smallParams();
        KeyGenerator kg = new KeyGenerator(p);
        SecretKey sk = kg.generateSecretKey();
        Encoder enc = new Encoder(p);
        Encryptor before = Encryptor.withSecretKey(sk);
        Decryptor dec = new Decryptor(sk);
        Ciphertext ct = before.encrypt(enc.encode(new double[] {0.5}, null, 1, p.maxLevel(), p.defaultScale()));
        assertThat(enc.decode(dec.decrypt(ct))[0]).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-6));
        sk.destroy();
        assertThatThrownBy(() -> dec.decrypt(ct)).isInstanceOf(IllegalStateException.class).hasMessageContaining("destroyed");
        assertThatThrownBy(() -> dec.decryptForRelease(ct, 10)).hasMessageContaining("destroyed");
        assertThatThrownBy(() -> before.encrypt(enc.encode(new double[] {1}))).hasMessageContaining("destroyed");
        assertThatThrownBy(() -> Encryptor.withSecretKey(sk).encrypt(enc.encode(new double[] {1})))
                .hasMessageContaining("destroyed");
        assertThatThrownBy(() -> new Decryptor(sk).decrypt(ct)).hasMessageContaining("destroyed");
        assertThatThrownBy(() -> kg.generatePublicKey(sk)).hasMessageContaining("destroyed");
        assertThatThrownBy(() -> kg.generateRelinearizationKey(sk)).hasMessageContaining("destroyed");
        assertThatThrownBy(() -> kg.generateGaloisKeys(sk, new int[] {1}, true)).hasMessageContaining("destroyed");
        assertThat(sk.toString()).contains("hidden");
        sk.destroy(); // idempotent
        assertThatThrownBy(() -> sk.coefficients()).hasMessageContaining("destroyed");
    }

    @Test
    void destroyErasesTheKeyMaterial() {
        Parameters p = TestSupport.smallParams();
        SecretKey sk = new KeyGenerator(p).generateSecretKey();
        long[] coeffs = sk.coefficients();
        var q = sk.q();
        var pp = sk.p();
        assertThat(java.util.stream.LongStream.of(coeffs).anyMatch(v -> v != 0)).isTrue();
        sk.destroy();
        assertThat(coeffs).containsOnly(0L);
        for (int i = 0; i < q.limbCount(); i++) {
            assertThat(q.limb(i)).containsOnly(0L);
        }
        for (int i = 0; i < pp.limbCount(); i++) {
            assertThat(pp.limb(i)).containsOnly(0L);
        }
    }

    @Test
    void decryptForReleaseFloodsNoiseOfTheStatedSize() {
        CkksFixture f = CkksFixture.small();
        double[] x = Slots.random(f.slots(), 41);
        Ciphertext ct = f.encrypt(x);
        double plain = Slots.bits(x, null, f.encoder.decodeComplex(f.decryptor.decrypt(ct)));
        // decrypt is deterministic, release is not
        assertThat(f.encoder.decode(f.decryptor.decrypt(ct))).isEqualTo(f.encoder.decode(f.decryptor.decrypt(ct)));
        assertThat(f.encoder.decode(f.decryptor.decryptForRelease(ct, 20)))
                .isNotEqualTo(f.encoder.decode(f.decryptor.decryptForRelease(ct, 20)));
        double logScale = Slots.log2(ct.scale());
        double logN = f.params.logN();
        double previous = plain;
        System.out.printf("decryptForRelease at N=2^11, scale 2^40: plain decrypt %.2f bits%n", plain);
        for (int floodBits : new int[] {16, 20, 26, 32}) {
            double bits = Slots.bits(x, null, f.encoder.decodeComplex(f.decryptor.decryptForRelease(ct, floodBits)));
            // stated size: about 2^floodBits · sqrt(N) / scale per slot
            double stated = logScale - floodBits - logN / 2;
            System.out.printf("decryptForRelease(floodBits=%d): %.2f bits (stated error size 2^-%.1f)%n", floodBits, bits,
                    stated);
            assertThat(bits).as("floodBits=%d", floodBits).isBetween(stated - 3, stated + 3);
            assertThat(bits).as("more flooding, less precision").isLessThan(previous);
            previous = bits;
        }
        // still close: 20 flood bits at scale 2^40 leave about 14 bits
        assertThat(Slots.bits(x, null, f.encoder.decodeComplex(f.decryptor.decryptForRelease(ct, 20)))).isGreaterThan(11);
        assertThat(Slots.bits(x, null, f.encoder.decodeComplex(f.decryptor.decryptForRelease(ct, 0)))).isGreaterThan(plain - 1);
        assertThatThrownBy(() -> f.decryptor.decryptForRelease(ct, -1)).hasMessageContaining("flood bits");
        assertThatThrownBy(() -> f.decryptor.decryptForRelease(ct, 62)).hasMessageContaining("flood bits");
        // released plaintexts keep level, scale and slots
        Plaintext released = f.decryptor.decryptForRelease(ct, 20);
        assertThat(released.level()).isEqualTo(ct.level());
        assertThat(released.scale()).isEqualTo(ct.scale());
        assertThat(released.slots()).isEqualTo(ct.slots());
    }
}
