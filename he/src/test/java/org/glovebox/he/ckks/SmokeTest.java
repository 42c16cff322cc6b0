package org.glovebox.he.ckks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void roundTrip() {
        Parameters p = TestSupport.smallParams();
        System.out.println(p);
        Encoder enc = new Encoder(p);
        KeyGenerator kg = new KeyGenerator(p);
        SecretKey sk = kg.generateSecretKey();
        PublicKey pk = kg.generatePublicKey(sk);
        RelinearizationKey rlk = kg.generateRelinearizationKey(sk);
        GaloisKeys gk = kg.generateGaloisKeys(sk, new int[] {1, 5, -3}, true);
        double[] x = TestSupport.randomValues(p.maxSlots(), 1);
        double[] y = TestSupport.randomValues(p.maxSlots(), 2);
        double[] d = enc.decode(enc.encode(x));
        System.out.println("encode " + TestSupport.precisionBits(x, d));
        Encryptor e = Encryptor.withPublicKey(pk);
        Decryptor dec = new Decryptor(sk);
        Ciphertext cx = e.encrypt(enc.encode(x));
        Ciphertext cy = Encryptor.withSecretKey(sk).encrypt(enc.encode(y));
        System.out.println("pk enc " + TestSupport.precisionBits(x, enc.decode(dec.decrypt(cx))));
        System.out.println("sk enc " + TestSupport.precisionBits(y, enc.decode(dec.decrypt(cy))));
        Evaluator ev = new Evaluator(p, rlk, gk);
        double[] xy = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            xy[i] = x[i] * y[i];
        }
        Ciphertext m3 = ev.multiply(cx, cy);
        System.out.println("mul3 " + TestSupport.precisionBits(xy, enc.decode(dec.decrypt(m3))));
        Ciphertext m = ev.multiplyRelinRescale(cx, cy);
        System.out.println("mul " + TestSupport.precisionBits(xy, enc.decode(dec.decrypt(m))) + " " + m);
        Ciphertext r = ev.rotate(cx, 5);
        double[] xr = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            xr[i] = x[(i + 5) % x.length];
        }
        System.out.println("rot " + TestSupport.precisionBits(xr, enc.decode(dec.decrypt(r))));
        assertThat(TestSupport.precisionBits(xy, enc.decode(dec.decrypt(m)))).isGreaterThan(20);
    }
}
