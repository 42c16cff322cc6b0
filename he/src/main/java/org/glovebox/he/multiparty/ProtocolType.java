package org.glovebox.he.multiparty;

import org.glovebox.he.io.MalformedDataException;

/** The multiparty protocols, with their wire code and number of rounds. */
public enum ProtocolType {
    PUBLIC_KEY_GEN(1, 1),
    RELIN_KEY_GEN(2, 2),
    GALOIS_KEY_GEN(3, 1),
    KEY_SWITCH(4, 1),
    PUBLIC_KEY_SWITCH(5, 1),
    THRESHOLDIZER(6, 1);

    private final int code;
    private final int rounds;

    ProtocolType(int code, int rounds) {
        this.code = code;
        this.rounds = rounds;
    }

    public int code() {
        return code;
    }

    public int rounds() {
        return rounds;
    }

    static ProtocolType fromCode(int code) throws MalformedDataException {
        for (ProtocolType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new MalformedDataException("unknown multiparty protocol code " + code);
    }
}
