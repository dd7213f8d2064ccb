package io.gmgate.keystore.card;

import java.util.Objects;

/** Where the token is: the PKCS#11 library, the slot, and the user PIN (never logged). */
public record Pkcs11Settings(String name, String library, int slotListIndex, char[] pin) {

    public Pkcs11Settings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(library, "library");
        pin = pin.clone();
    }

    @Override
    public String toString() {
        return "Pkcs11Settings[" + name + ", " + library + ", slot #" + slotListIndex + ", pin=[redacted]]";
    }
}
