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
                               EcdheEncoding ecdheEncoding, Clock clock, SecureRandom random, PeerDialect dialect) {

    public TlcpClientConfig {
        Objects.requireNonNull(dialect, "dialect");
        suites = List.copyOf(suites);
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(serverPolicy, "serverPolicy");
        Objects.requireNonNull(resume, "resume");
        Objects.requireNonNull(ecdheEncoding, "ecdheEncoding");
        if (suites.isEmpty()) {
            throw new TlcpException(TlcpErrors.BAD_CONFIGURATION, Alert.INTERNAL_ERROR, "no cipher suites enabled");
        }
    }

    /** A client that authenticates as GB/T 38636-2020 says ({@link PeerDialect#STANDARD}). */
    public TlcpClientConfig(List<CipherSuite> suites, Optional<TlcpCredentials> credentials,
                            CertificatePolicy serverPolicy, Optional<SessionState> resume,
                            EcdheEncoding ecdheEncoding, Clock clock, SecureRandom random) {
        this(suites, credentials, serverPolicy, resume, ecdheEncoding, clock, random, PeerDialect.STANDARD);
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
        return new TlcpClientConfig(suites, credentials, serverPolicy, Optional.of(session), ecdheEncoding, clock, random, dialect);
    }

    public TlcpClientConfig withSuites(List<CipherSuite> only) {
        return new TlcpClientConfig(only, credentials, serverPolicy, resume, ecdheEncoding, clock, random, dialect);
    }

    /** The same client, authenticating in the form a given server reads (design §13). */
    public TlcpClientConfig withDialect(PeerDialect form) {
        return new TlcpClientConfig(suites, credentials, serverPolicy, resume, ecdheEncoding, clock, random, form);
    }

    /** The same client, judging the server's certificates by {@code policy} (e.g. one for the host dialled). */
    public TlcpClientConfig withServerPolicy(CertificatePolicy policy) {
        return new TlcpClientConfig(suites, credentials, policy, resume, ecdheEncoding, clock, random, dialect);
    }

    /** The same client, sending this ECDHE ClientKeyExchange form. */
    public TlcpClientConfig withEcdheEncoding(EcdheEncoding encoding) {
        return new TlcpClientConfig(suites, credentials, serverPolicy, resume, encoding, clock, random, dialect);
    }
}
