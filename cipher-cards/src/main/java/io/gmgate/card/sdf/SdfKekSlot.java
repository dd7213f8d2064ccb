package io.gmgate.card.sdf;

import java.util.Objects;

import io.gmgate.card.CardDeviceErrors;
import io.gmgate.crypto.card.CipherCardException;
import io.gmgate.crypto.card.KekId;

/**
 * Which internal keys of an SDF device stand for one gmgate KEK version. GM/T 0018 addresses keys by
 * index only and has no function that creates them (the vendor's management tool does), so the
 * operator declares the mapping: e.g. kek 1 v2 = encryption key 3, MAC key 4. A separate MAC key
 * keeps SM4-CBC encryption and SM4-MAC from sharing one key.
 */
public record SdfKekSlot(KekId kek, int kekIndex, int macIndex) {

    public SdfKekSlot {
        Objects.requireNonNull(kek, "kek");
        if (kekIndex < 1 || macIndex < 1) {
            throw new CipherCardException(CardDeviceErrors.BAD_SETTINGS,
                    "SDF key indexes start at 1: " + kek + " -> " + kekIndex + "/" + macIndex);
        }
    }

    /**
     * Parses "1:2=3/4" (KEK index 1 version 2 = device KEK 3, MAC key 4) or "1:1=1" (one index for
     * both, only for devices that keep encryption and MAC keys apart themselves, like soft-sdf).
     */
    public static SdfKekSlot parse(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]{1,6}):([0-9]{1,6})=([0-9]{1,6})(?:/([0-9]{1,6}))?")
                .matcher(text.trim());
        if (!m.matches()) {
            throw new CipherCardException(CardDeviceErrors.BAD_SETTINGS,
                    "an SDF KEK slot reads INDEX:VERSION=KEKINDEX[/MACINDEX], e.g. 1:1=1/2; got '" + text + "'");
        }
        int kekIndex = Integer.parseInt(m.group(3));
        int macIndex = m.group(4) == null ? kekIndex : Integer.parseInt(m.group(4));
        return new SdfKekSlot(new KekId(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))), kekIndex, macIndex);
    }
}
