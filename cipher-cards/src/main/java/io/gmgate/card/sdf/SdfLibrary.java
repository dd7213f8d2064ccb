package io.gmgate.card.sdf;

import java.util.Map;

/**
 * A vendor's GM/T 0018 (SDF) library as a Java service: the place where a cipher-card vendor plugs in.
 *
 * <p>A vendor ships a jar holding an implementation of this interface (usually a thin JNI or JNA
 * adapter over its {@code libsdf.so}) and a {@code META-INF/services/io.gmgate.card.sdf.SdfLibrary}
 * file naming it; gmgate finds it on the class path by {@link #name()} ({@link SdfLibraries}). The
 * adapter translates the library's SDR_ return codes into {@link SdfException}s carrying the standard
 * code, so gmgate maps them to KEY- codes the same way for every vendor.
 *
 * <p>gmgate ships one implementation, {@link SoftSdfLibrary} ("soft-sdf"), a development device over
 * the software card's file.
 */
public interface SdfLibrary {

    /** The name operators configure, e.g. "soft-sdf" or "vendor-x"; lower case, stable across versions. */
    String name();

    /**
     * SDF_OpenDevice. {@code options} are the vendor's own settings (a configuration file path, a
     * device address); {@code password} is the key-access password the device asks for
     * (SDF_GetPrivateKeyAccessRight), or empty when it asks for none. The library copies what it
     * keeps; the caller zeroes the password afterwards.
     */
    SdfDevice openDevice(Map<String, String> options, char[] password);
}
