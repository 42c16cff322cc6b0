package org.glovebox.he.ckks;

/** Pinned digests of deterministic serializations; a change here is a format or encoder change. */
final class KnownAnswers {
    static final String N13_PARAMETERS_SHA256 = "ea9c47049fe2af05fb81100208742dc221a9dda6f389e418785eef361140a6b0";
    static final String SMALL_PLAINTEXT_SHA256 = "f2975120951fed2607d69ba0c88ed0ffb0c21b30d6672150bafddf13cce757c6";

    private KnownAnswers() {
    }
}
