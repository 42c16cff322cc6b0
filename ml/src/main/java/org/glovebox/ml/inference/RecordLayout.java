package org.glovebox.ml.inference;

/** How {@link EncryptedRecords} pack patients into slots. */
public enum RecordLayout {
    /**
     * One ciphertext per feature and per batch of N/2 patients, patient r in slot r: scoring with a plaintext model
     * needs no rotation at all (constant multiplications and additions), the fastest layout.
     */
    COLUMNS,
    /**
     * The training packing ({@link org.glovebox.ml.lr.RowPacking}): one block (1, x_1, …, x_d) per patient: needed
     * to score with an encrypted model, whose weights come out of training in that layout.
     */
    ROWS
}
