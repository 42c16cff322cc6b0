package org.glovebox.he.ckks;

import org.glovebox.he.ring.RnsPoly;

/** A polynomial over the extended modulus Q·P, kept as its chain part and its special-prime part (NTT domain). */
record QPPoly(RnsPoly q, RnsPoly p) {
    QPPoly copy() {
        return new QPPoly(q.copy(), p.copy());
    }
}
