package io.gmgate.tlcp;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A TLCP client's choices: suites in preference order, its credentials when it authenticates,
 * the policy for the server's double certificate, a session to offer for resumption, the ECDHE
 * encoding to send (design §13), and its clock and randomness.
 */
public record TlcpClientConfig(List<CipherSuite> suites, Optional<TlcpCredentials> credentials,
                               CertificatePolicy serverPolicy, Optional<SessionState> resume,
                               EcdheEncoding ecdheEncoding, Clock clock, SecureRandom random) {

    public TlcpClientConfig {
        suites = List.copyOf(suites);
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(serverPolicy, "serverPolicy");
        Objects.requireNonNull(resume, "resume");
        Objects.requireNonNull(ecdheEncoding, "ecdheEncoding");
        if (suites.isEmpty()) {
            throw new TlcpException(TlcpErrors.BAD_CONFIGURATION, Alert.INTERNAL_ERROR, "no cipher suites enabled");
        }
    }

    /** A client with the defaults: all four suites ECC first, no resumption, bare ECDHE params. */
    public static TlcpClientConfig of(Optional<TlcpCredentials> credentials, CertificatePolicy serverPolicy,
                                      Clock clock, SecureRandom random) {
        return new TlcpClientConfig(List.of(CipherSuite.ECC_SM4_GCM_SM3, CipherSuite.ECC_SM4_CBC_SM3,
                CipherSuite.ECDHE_SM4_GCM_SM3, CipherSuite.ECDHE_SM4_CBC_SM3), credentials, serverPolicy,
                Optional.empty(), EcdheEncoding.BARE, clock, random);
    }

    /** The same client, offering to resume {@code session} (from {@code TlcpEngine.session()} of an earlier connection). */
    public TlcpClientConfig resuming(SessionState session) {
        return new TlcpClientConfig(suites, credentials, serverPolicy, Optional.of(session), ecdheEncoding, clock, random);
    }

    public TlcpClientConfig withSuites(List<CipherSuite> only) {
        return new TlcpClientConfig(only, credentials, serverPolicy, resume, ecdheEncoding, clock, random);
    }
}
