package io.gmgate.crypto.card;

/**
 * A key-encryption key inside a cipher card, addressed as GM/T 0018 addresses internal keys: by
 * index, plus a version so that rotation can keep old versions for unwrapping until re-wrap is done.
 */
public record KekId(int index, int version) {

    public KekId {
        if (index < 1 || version < 1) {
            throw new IllegalArgumentException("KEK index and version start at 1: " + index + "/" + version);
        }
    }

    @Override
    public String toString() {
        return "kek-" + index + "v" + version;
    }
}
