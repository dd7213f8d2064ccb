package io.gmgate.card.sdf;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

import io.gmgate.card.CardDeviceErrors;
import io.gmgate.crypto.card.CipherCardException;

/**
 * Finds {@link SdfLibrary} implementations on the class path with {@link ServiceLoader}: a vendor's
 * jar in gmgate's {@code lib/} directory is enough, no gmgate rebuild. Loading is by the name the
 * operator configured, so two vendors' jars may sit side by side.
 */
public final class SdfLibraries {

    /** More providers than any deployment has; the loop over the class path stops here. */
    private static final int MAX_PROVIDERS = 64;

    private SdfLibraries() {
    }

    /** The library named {@code name}, or KEY-150 listing the names that were found. */
    public static SdfLibrary load(String name) {
        return load(name, Thread.currentThread().getContextClassLoader());
    }

    public static SdfLibrary load(String name, ClassLoader loader) {
        List<String> found = new ArrayList<>();
        List<String> broken = new ArrayList<>();
        Iterator<SdfLibrary> it = ServiceLoader.load(SdfLibrary.class, loader).iterator();
        for (int i = 0; i < MAX_PROVIDERS; i++) {
            SdfLibrary library;
            try {
                if (!it.hasNext()) {
                    break;
                }
                library = it.next();
            } catch (ServiceConfigurationError | LinkageError e) {
                // A vendor jar whose class cannot load (missing native library, wrong Java version):
                // keep looking, and name it if the one asked for is not found.
                broken.add(e.getMessage());
                continue;
            }
            if (library.name().equals(name)) {
                return library;
            }
            found.add(library.name());
        }
        throw new CipherCardException(CardDeviceErrors.LIBRARY_MISSING, "[KEY sdf:" + name + "] no SDF library named '"
                + name + "' on the class path (found: " + found + ")"
                + (broken.isEmpty() ? "" : "; providers that failed to load: " + broken)
                + ". Put the vendor's gmgate adapter jar in lib/ (docs/cipher-cards.md)");
    }

    /** The names of every loadable library on the class path, for {@code gmgate card status}. */
    public static List<String> available() {
        List<String> names = new ArrayList<>();
        Iterator<SdfLibrary> it = ServiceLoader.load(SdfLibrary.class, Thread.currentThread().getContextClassLoader()).iterator();
        for (int i = 0; i < MAX_PROVIDERS; i++) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                names.add(it.next().name());
            } catch (ServiceConfigurationError | LinkageError e) {
                names.add("(unloadable: " + e.getMessage() + ")");
            }
        }
        return List.copyOf(names);
    }
}
