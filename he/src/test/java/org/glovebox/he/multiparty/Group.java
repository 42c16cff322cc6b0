package org.glovebox.he.multiparty;

import java.util.ArrayList;
import java.util.List;
import org.glovebox.he.ckks.Ciphertext;
import org.glovebox.he.ckks.Encoder;
import org.glovebox.he.ckks.GaloisKeys;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.ckks.Plaintext;
import org.glovebox.he.ckks.PublicKey;
import org.glovebox.he.ckks.RelinearizationKey;

/** A simulated group of hospitals running the protocols in one process (each party its own protocol instance). */
final class Group {
    final Parameters params;
    final Session session;
    final List<SecretKeyShare> secrets = new ArrayList<>();
    final Encoder encoder;

    Group(Parameters params, int n) {
        this(Session.create(params, n));
    }

    Group(Session session) {
        this.params = session.parameters();
        this.session = session;
        for (PartyId p : session.parties()) {
            secrets.add(SecretKeyShare.generate(params, p));
        }
        this.encoder = new Encoder(params);
    }

    PublicKey publicKey() {
        PublicKeyGen aggregator = new PublicKeyGen(session);
        Share acc = aggregator.allocateShare();
        for (SecretKeyShare sk : secrets) {
            acc = aggregator.aggregateShares(acc, new PublicKeyGen(session).generateShare(sk));
        }
        return aggregator.finish(acc);
    }

    RelinearizationKey relinearizationKey() {
        List<RelinKeyGen> parties = new ArrayList<>();
        RelinKeyGen aggregator = new RelinKeyGen(session);
        Share r1 = aggregator.allocateShare();
        for (SecretKeyShare sk : secrets) {
            RelinKeyGen p = new RelinKeyGen(session);
            parties.add(p);
            r1 = aggregator.aggregateShares(r1, p.generateShareRoundOne(sk));
        }
        Share r2 = aggregator.allocateShare(r1);
        for (int i = 0; i < secrets.size(); i++) {
            r2 = aggregator.aggregateShares(r2, parties.get(i).generateShareRoundTwo(secrets.get(i), r1));
        }
        return aggregator.finish(r1, r2);
    }

    GaloisKeys galoisKeys(int[] steps) {
        int[] elements = GaloisKeyGen.elementsFor(params, steps, false);
        GaloisKeyGen aggregator = new GaloisKeyGen(session);
        List<Share> aggregates = new ArrayList<>();
        for (int g : elements) {
            List<Share> shares = new ArrayList<>();
            for (SecretKeyShare sk : secrets) {
                shares.add(new GaloisKeyGen(session).generateShare(sk, g));
            }
            aggregates.add(aggregator.aggregateShares(shares));
        }
        return aggregator.finish(aggregates);
    }

    /** Collective decryption by all parties with the given smudging. */
    double[] decrypt(Ciphertext ct, Smudging smudging) {
        return decrypt(ct, smudging, secrets, session.parties());
    }

    double[] decrypt(Ciphertext ct, Smudging smudging, List<SecretKeyShare> shares, List<PartyId> active) {
        KeySwitch aggregator = new KeySwitch(session, active, smudging);
        List<Share> list = new ArrayList<>();
        for (SecretKeyShare sk : shares) {
            list.add(new KeySwitch(session, active, smudging).generateShare(sk, ct));
        }
        Plaintext pt = aggregator.finishDecryption(ct, aggregator.aggregateShares(list));
        return encoder.decode(pt);
    }

    static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }
}
