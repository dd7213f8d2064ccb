package io.gmgate.tlcp.peers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Assumptions;

/**
 * A TLCP stack built outside the repository (docs/tlcp-interop.md: nothing of theirs is committed), found through
 * an environment variable. Tests that need one are skipped, not failed, when it is not set.
 *
 * <ul>
 * <li>{@code GMGATE_GMSSL}: GmSSL 3.x's {@code gmssl} (tlcp_server / tlcp_client with -cipher_suite);</li>
 * <li>{@code GMGATE_TONGSUO}: Tongsuo's {@code tongsuo} or {@code openssl} built with enable-ntls.</li>
 * </ul>
 */
enum NativeTool {
    GMSSL("GMGATE_GMSSL"),
    TONGSUO("GMGATE_TONGSUO");

    final String variable;

    NativeTool(String variable) {
        this.variable = variable;
    }

    Optional<Path> find() {
        String v = System.getenv(variable);
        if (v == null || v.isBlank()) {
            v = System.getProperty(variable.toLowerCase().replace('_', '.'));
        }
        if (v == null || v.isBlank()) {
            return Optional.empty();
        }
        Path p = Path.of(v);
        return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
    }

    /** The binary, or a skipped test that names the variable to set. */
    Path require() {
        Optional<Path> p = find();
        Assumptions.assumeTrue(p.isPresent(), variable + " does not point at an executable " + name().toLowerCase()
                + " binary: interop with it is skipped");
        return p.get();
    }
}
