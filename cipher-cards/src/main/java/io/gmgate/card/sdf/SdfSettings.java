package io.gmgate.card.sdf;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.gmgate.card.CardDeviceErrors;
import io.gmgate.card.DeviceCalls;
import io.gmgate.crypto.card.CipherCardException;
import io.gmgate.crypto.card.KekId;

/**
 * An SDF card: which library (by its {@link SdfLibrary#name()}), the vendor's options, the device
 * password, and the declared KEK slots. {@link #toString()} never shows the password.
 */
public record SdfSettings(String name, String library, Map<String, String> options, char[] password,
        List<SdfKekSlot> keks, DeviceCalls.Limits limits) {

    public SdfSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(library, "library");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(limits, "limits");
        options = Map.copyOf(options);
        keks = List.copyOf(keks);
        Set<KekId> seen = new HashSet<>();
        for (SdfKekSlot slot : keks) {
            if (!seen.add(slot.kek())) {
                throw new CipherCardException(CardDeviceErrors.BAD_SETTINGS,
                        "[KEY sdf:" + name + "] " + slot.kek() + " is declared twice");
            }
        }
    }

    public static SdfSettings of(String name, String library, Map<String, String> options, char[] password, List<SdfKekSlot> keks) {
        return new SdfSettings(name, library, options, password, keks, DeviceCalls.Limits.DEFAULT);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SdfSettings s && s.name.equals(name) && s.library.equals(library) && s.options.equals(options)
                && Arrays.equals(s.password, password) && s.keks.equals(keks) && s.limits.equals(limits);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, library, options, keks, limits);
    }

    @Override
    public String toString() {
        return "SdfSettings[" + name + ", library=" + library + ", options=" + options.keySet()
                + ", password=[redacted], keks=" + keks + ", " + limits + "]";
    }
}
