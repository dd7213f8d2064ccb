package io.gmgate.card.pkcs11;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

import io.gmgate.card.CardDeviceErrors;
import io.gmgate.card.DeviceCalls;
import io.gmgate.crypto.card.CipherCardException;

/**
 * Where a PKCS#11 card lives and how to log in: the vendor's module, the token's slot, the user PIN.
 * The slot is named by its PKCS#11 slot id ({@code softhsm2-util --show-slots}, {@code pkcs11-tool -L})
 * or by its position in the module's slot list: the JDK 17 SunPKCS11 configuration has no token-label
 * selector, and a label guessed by walking slots would log in to the wrong token on a mistake.
 *
 * <p>The PIN is the caller's array: the card copies it for the login and zeroes its copy at once;
 * the caller zeroes this one. {@link #toString()} never shows it.
 *
 * @param name          instance name in logs and KEY- messages, e.g. "hsm-a"
 * @param library       the PKCS#11 module, e.g. /usr/lib/softhsm/libsofthsm2.so
 * @param slotId        the slot id, or null to use {@code slotListIndex}
 * @param slotListIndex the position in the module's slot list when {@code slotId} is null
 * @param pin           the user PIN (CKU_USER)
 * @param limits        deadline and bounds of each device call
 */
public record Pkcs11Settings(String name, Path library, Long slotId, int slotListIndex, char[] pin, DeviceCalls.Limits limits) {

    public Pkcs11Settings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(library, "library");
        Objects.requireNonNull(pin, "pin");
        Objects.requireNonNull(limits, "limits");
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,40}")) {
            throw new CipherCardException(CardDeviceErrors.BAD_SETTINGS,
                    "PKCS#11 card name must be 1..41 letters, digits, '_' or '-': '" + name + "'");
        }
        if (slotId == null && slotListIndex < 0) {
            throw new CipherCardException(CardDeviceErrors.BAD_SETTINGS,
                    "[KEY pkcs11:" + name + "] configure the token's slot id or its slot list index");
        }
        if (slotId != null && slotId < 0) {
            throw new CipherCardException(CardDeviceErrors.BAD_SETTINGS, "[KEY pkcs11:" + name + "] slot id must not be negative");
        }
    }

    /** The token in slot {@code slotId}, with the default call limits. */
    public static Pkcs11Settings slot(String name, Path library, long slotId, char[] pin) {
        return new Pkcs11Settings(name, library, slotId, -1, pin, DeviceCalls.Limits.DEFAULT);
    }

    /** The token at position {@code index} of the module's slot list, with the default call limits. */
    public static Pkcs11Settings slotListIndex(String name, Path library, int index, char[] pin) {
        return new Pkcs11Settings(name, library, null, index, pin, DeviceCalls.Limits.DEFAULT);
    }

    public Pkcs11Settings withLimits(DeviceCalls.Limits newLimits) {
        return new Pkcs11Settings(name, library, slotId, slotListIndex, pin, newLimits);
    }

    /** "slot 123456" or "slot list index 0". */
    public String slotDescription() {
        return slotId != null ? "slot " + slotId : "slot list index " + slotListIndex;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Pkcs11Settings s && s.name.equals(name) && s.library.equals(library)
                && Objects.equals(s.slotId, slotId) && s.slotListIndex == slotListIndex
                && Arrays.equals(s.pin, pin) && s.limits.equals(limits);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, library, slotId, slotListIndex, limits);
    }

    @Override
    public String toString() {
        return "Pkcs11Settings[" + name + ", " + library + ", " + slotDescription() + ", pin=[redacted], " + limits + "]";
    }
}
