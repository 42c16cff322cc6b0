package org.glovebox.he.ckks;

/** The key that turns a degree-2 ciphertext (after a multiplication) back into a normal one: switches s^2 to s. */
public final class RelinearizationKey {
    private final KeySwitchingKey key;

    RelinearizationKey(KeySwitchingKey key) {
        this.key = key;
    }

    public Parameters parameters() {
        return key.parameters();
    }

    KeySwitchingKey key() {
        return key;
    }

    @Override
    public String toString() {
        return "RelinearizationKey[" + key.parameters() + "]";
    }
}
