package org.glovebox.he.ckks.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.glovebox.he.ckks.Ciphertext;
import org.glovebox.he.ckks.Encoder;
import org.glovebox.he.ckks.Encryptor;
import org.glovebox.he.ckks.GaloisKeys;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.ckks.ProtocolAccess;
import org.glovebox.he.ckks.PublicKey;
import org.glovebox.he.ckks.RelinearizationKey;
import org.glovebox.he.multiparty.GaloisKeyGen;
import org.glovebox.he.multiparty.KeySwitch;
import org.glovebox.he.multiparty.PublicKeyGen;
import org.glovebox.he.multiparty.RelinKeyGen;
import org.glovebox.he.multiparty.SecretKeyShare;
import org.glovebox.he.multiparty.Session;
import org.glovebox.he.multiparty.Share;
import org.glovebox.he.multiparty.Smudging;
import org.junit.jupiter.api.Test;

/**
 * Multiparty bootstrapping at a small ring: three parties generate the relinearization key, the Galois keys
 * ({@link GaloisKeyGen}, one protocol run per element of {@link BootstrappingParameters#galoisElements()}) and the
 * sparse-secret encapsulation keys ({@link EncapsulationKeys#share}) collectively; nobody holds the secret; the
 * bootstrapped ciphertext is decrypted collectively.
 */
class CollectiveBootstrappingTest {

    @Test
    void threePartiesBootstrapWithCollectivelyGeneratedKeys() {
        int parties = 3;
        int ephemeralPerParty = 11;
        // dense collective secret (sum of ternary shares); summed ephemeral secret of weight <= 33, so K = 17
        BootstrappingParameters bp = BootstrapFixture.small(11, 8).ephemeralSecretWeight(parties * ephemeralPerParty)
                .build();
        assertEquals(17, bp.k());
        Parameters params = bp.parameters();
        Session session = Session.create(params, parties);
        List<SecretKeyShare> shares = new ArrayList<>();
        for (int i = 0; i < parties; i++) {
            shares.add(SecretKeyShare.generate(params, session.party(i)));
        }

        PublicKeyGen pkg = new PublicKeyGen(session);
        List<Share> pkShares = new ArrayList<>();
        for (SecretKeyShare s : shares) {
            pkShares.add(new PublicKeyGen(session).generateShare(s));
        }
        PublicKey pk = pkg.finish(pkg.aggregateShares(pkShares));

        RelinKeyGen rkg = new RelinKeyGen(session);
        List<RelinKeyGen> instances = new ArrayList<>();
        List<Share> r1 = new ArrayList<>();
        for (SecretKeyShare s : shares) {
            RelinKeyGen p = new RelinKeyGen(session);
            instances.add(p);
            r1.add(p.generateShareRoundOne(s));
        }
        Share round1 = rkg.aggregateShares(r1);
        List<Share> r2 = new ArrayList<>();
        for (int i = 0; i < parties; i++) {
            r2.add(instances.get(i).generateShareRoundTwo(shares.get(i), round1));
        }
        RelinearizationKey rlk = rkg.finish(round1, rkg.aggregateShares(r2));

        GaloisKeyGen gkg = new GaloisKeyGen(session);
        List<GaloisKeys> galois = new ArrayList<>();
        for (int g : bp.galoisElements()) {
            List<Share> gs = new ArrayList<>();
            for (SecretKeyShare s : shares) {
                gs.add(new GaloisKeyGen(session).generateShare(s, g));
            }
            galois.add(gkg.finish(gkg.aggregateShares(gs)));
        }

        // SlotToCoeff's keys live on the sub-chain q_0 … q_S: a session over those parameters, same parties and shares.
        Parameters sub = bp.slotToCoeffParameters();
        Session subSession = Session.create(sub, parties);
        GaloisKeyGen subGkg = new GaloisKeyGen(subSession);
        List<SecretKeyShare> subShares = new ArrayList<>();
        for (int i = 0; i < parties; i++) {
            long[] c = ProtocolAccess.secretCoefficients(shares.get(i).toSecretKey());
            subShares.add(SecretKeyShare.fromSecretKey(ProtocolAccess.secretKey(sub, c), subSession.party(i)));
        }
        List<GaloisKeys> subGalois = new ArrayList<>();
        for (int g : bp.slotToCoeffGaloisElements()) {
            List<Share> gs = new ArrayList<>();
            for (SecretKeyShare s : subShares) {
                gs.add(new GaloisKeyGen(subSession).generateShare(s, g));
            }
            subGalois.add(subGkg.finish(subGkg.aggregateShares(gs)));
        }

        byte[][] seeds = EncapsulationKeys.seedsFrom(session.crsSeed());
        List<EncapsulationKeys> encShares = new ArrayList<>();
        for (SecretKeyShare s : shares) {
            encShares.add(EncapsulationKeys.share(s.toSecretKey(), ephemeralPerParty, seeds));
        }
        EncapsulationKeys enc = EncapsulationKeys.aggregate(encShares);
        assertEquals(parties * ephemeralPerParty, enc.ephemeralWeight());

        Bootstrapper bt = new Bootstrapper(bp, BootstrappingKeys.of(rlk, galois, subGalois, enc));
        Encoder encoder = new Encoder(params);
        int n = bp.slots();
        double[][] z = BootstrapFixture.randomComplex(n, 51, true);
        Ciphertext ct = Encryptor.withPublicKey(pk)
                .encrypt(encoder.encode(z[0], z[1], n, bp.inputLevel(), params.defaultScale()));
        Ciphertext out = bt.bootstrap(ct);
        assertEquals(bp.outputLevel(), out.level());

        Smudging minimal = Smudging.withStandardDeviation(3.2);
        KeySwitch aggregator = new KeySwitch(session, session.parties(), minimal);
        List<Share> dec = new ArrayList<>();
        for (SecretKeyShare s : shares) {
            dec.add(new KeySwitch(session, session.parties(), minimal).generateShare(s, out));
        }
        double[][] got = encoder.decodeComplex(aggregator.finishDecryption(out, aggregator.aggregateShares(dec)));
        double[] prec = BootstrapFixture.precision(z, got);
        System.out.printf("[collective bootstrap] %d parties: precision mean %.1f bits, worst %.1f bits%n", parties,
                prec[0], prec[1]);
        assertTrue(prec[0] >= 16 && prec[1] >= 13, "precision mean " + prec[0] + ", worst " + prec[1]);
    }
}
