package org.glovebox.he.io;

/** The kind of object a serialized blob holds; written in every header so a reader refuses the wrong kind. */
public enum ObjectType {
    PARAMETERS(1),
    PLAINTEXT(2),
    CIPHERTEXT(3),
    SECRET_KEY(4),
    PUBLIC_KEY(5),
    RELINEARIZATION_KEY(6),
    GALOIS_KEYS(7),
    /**
     * A level-0 ciphertext whose two parts are compressed by modulus switching ({@link ResidueCompression}): lossy,
     * for transport only.
     */
    COMPRESSED_CIPHERTEXT(8),
    /**
     * One part of a compressed level-0 ciphertext sent on its own: the mask c_1 of a public-key encryption made before
     * its message is known, or the message part c_0 that completes it. Lossy, for transport only.
     */
    COMPRESSED_CIPHERTEXT_PART(9),
    /** Multiparty protocol messages (shares) and key shares, 16 and up. */
    MULTIPARTY_SHARE(16),
    THRESHOLD_SECRET_SHARE(17),
    /** A level-0 key-switching or decryption share compressed by modulus switching: lossy, for transport only. */
    COMPRESSED_MULTIPARTY_SHARE(18);

    private final int code;

    ObjectType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static ObjectType fromCode(int code) throws MalformedDataException {
        for (ObjectType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new MalformedDataException("unknown object type code " + code);
    }
}
