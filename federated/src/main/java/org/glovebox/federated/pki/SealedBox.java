package org.glovebox.federated.pki;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * End-to-end encryption between two hospitals through the coordinator, for the threshold-key shares (which must reach
 * only their recipient): static-static ECDH between the sender's certificate key and the recipient's (P-256), HKDF-
 * SHA256 bound to the session and both names, AES-256-GCM with a random nonce and the same binding as associated data.
 * Only sender and recipient can derive the key, so a box also authenticates its sender; the coordinator relays it
 * without learning anything.
 */
public final class SealedBox {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int NONCE = 12;

    private SealedBox() {
    }

    public static byte[] seal(PrivateKey own, PublicKey peer, byte[] context, String from, String to, byte[] plain) {
        try {
            byte[] nonce = new byte[NONCE];
            RANDOM.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            byte[] aad = aad(context, from, to);
            c.init(Cipher.ENCRYPT_MODE, key(own, peer, aad), new GCMParameterSpec(128, nonce));
            c.updateAAD(aad);
            byte[] ct = c.doFinal(plain);
            return ByteBuffer.allocate(NONCE + ct.length).put(nonce).put(ct).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal for " + to, e);
        }
    }

    /** Opens a box; fails (GeneralSecurityException) if it was altered or not sealed by {@code from} for {@code to}. */
    public static byte[] open(PrivateKey own, PublicKey peer, byte[] context, String from, String to, byte[] box)
            throws GeneralSecurityException {
        if (box.length < NONCE + 16) {
            throw new GeneralSecurityException("sealed box too short");
        }
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        byte[] aad = aad(context, from, to);
        c.init(Cipher.DECRYPT_MODE, key(own, peer, aad), new GCMParameterSpec(128, box, 0, NONCE));
        c.updateAAD(aad);
        return c.doFinal(box, NONCE, box.length - NONCE);
    }

    private static byte[] aad(byte[] context, String from, String to) {
        byte[] f = from.getBytes(StandardCharsets.UTF_8);
        byte[] t = to.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + context.length + 4 + f.length + 4 + t.length).putInt(context.length)
                .put(context).putInt(f.length).put(f).putInt(t.length).put(t).array();
    }

    private static SecretKeySpec key(PrivateKey own, PublicKey peer, byte[] info) throws GeneralSecurityException {
        KeyAgreement ka = KeyAgreement.getInstance("ECDH");
        ka.init(own);
        ka.doPhase(peer, true);
        byte[] z = ka.generateSecret();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("glovebox-sealed-box-v1".getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
        byte[] prk = mac.doFinal(z);
        Arrays.fill(z, (byte) 0);
        mac.init(new SecretKeySpec(prk, "HmacSHA256"));
        mac.update(info);
        mac.update((byte) 1);
        byte[] okm = mac.doFinal();
        return new SecretKeySpec(okm, 0, 32, "AES");
    }
}
