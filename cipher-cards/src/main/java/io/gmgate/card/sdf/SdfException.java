package io.gmgate.card.sdf;

import java.util.Map;

/**
 * A failed SDF call, carrying the device's SDR_ return code (GM/T 0018 appendix A). Vendor adapters
 * throw it with the standard code; {@link SdfCipherCard} turns it into a KEY- code.
 */
public final class SdfException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public static final int SDR_BASE = 0x01000000;
    public static final int SDR_UNKNOWERR = SDR_BASE + 0x01;
    public static final int SDR_NOTSUPPORT = SDR_BASE + 0x02;
    public static final int SDR_COMMFAIL = SDR_BASE + 0x03;
    public static final int SDR_HARDFAIL = SDR_BASE + 0x04;
    public static final int SDR_OPENDEVICE = SDR_BASE + 0x05;
    public static final int SDR_OPENSESSION = SDR_BASE + 0x06;
    public static final int SDR_PARDENY = SDR_BASE + 0x07;
    public static final int SDR_KEYNOTEXIST = SDR_BASE + 0x08;
    public static final int SDR_ALGNOTSUPPORT = SDR_BASE + 0x09;
    public static final int SDR_ALGMODNOTSUPPORT = SDR_BASE + 0x0A;
    public static final int SDR_SKOPERR = SDR_BASE + 0x0C;
    public static final int SDR_SYMOPERR = SDR_BASE + 0x0F;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(SDR_UNKNOWERR, "SDR_UNKNOWERR"),
            Map.entry(SDR_NOTSUPPORT, "SDR_NOTSUPPORT"),
            Map.entry(SDR_COMMFAIL, "SDR_COMMFAIL"),
            Map.entry(SDR_HARDFAIL, "SDR_HARDFAIL"),
            Map.entry(SDR_OPENDEVICE, "SDR_OPENDEVICE"),
            Map.entry(SDR_OPENSESSION, "SDR_OPENSESSION"),
            Map.entry(SDR_PARDENY, "SDR_PARDENY"),
            Map.entry(SDR_KEYNOTEXIST, "SDR_KEYNOTEXIST"),
            Map.entry(SDR_ALGNOTSUPPORT, "SDR_ALGNOTSUPPORT"),
            Map.entry(SDR_ALGMODNOTSUPPORT, "SDR_ALGMODNOTSUPPORT"),
            Map.entry(SDR_SKOPERR, "SDR_SKOPERR"),
            Map.entry(SDR_SYMOPERR, "SDR_SYMOPERR"));

    private final int sdrCode;

    public SdfException(int sdrCode, String message) {
        super(name(sdrCode) + ": " + message);
        this.sdrCode = sdrCode;
    }

    public SdfException(int sdrCode, String message, Throwable cause) {
        super(name(sdrCode) + ": " + message, cause);
        this.sdrCode = sdrCode;
    }

    public int sdrCode() {
        return sdrCode;
    }

    /** "SDR_KEYNOTEXIST", or the code in hex for a vendor-specific one. */
    public static String name(int sdrCode) {
        return NAMES.getOrDefault(sdrCode, String.format("SDR_0x%08X", sdrCode));
    }
}
