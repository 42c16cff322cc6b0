package org.glovebox.ml.inference;

/** How {@link EncryptedRecords} pack patients into slots. */
public enum RecordLayout {
    /**
     * One ciphertext per feature and per batch of N/2 patients, patient r in slot r: scoring with a plaintext model
     * needs no rotation at all (constant multiplications and additions), the fastest layout.
     */
    COLUMNS,
    /**
     * The training packing ({@link org.glovebox.ml.lr.RowPacking}) with every patient written twice: two consecutive
     * blocks (1, x_1, …, x_d, 0, …). Needed to score with an encrypted model, whose weights come out of training in
     * blocks. Thanks to the copy, a sum over w consecutive slots starting anywhere in the first block covers each
     * feature once, so the score lands in all w slots of the first block, and the key holder averages the w copies
     * (a quarter of the release-flooding error for w = 16).
     */
    ROWS
}
