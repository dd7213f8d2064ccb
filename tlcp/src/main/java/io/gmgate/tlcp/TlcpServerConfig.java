package io.gmgate.tlcp;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * A TLCP server's choices, checked once: suites in preference order, whether the client must
 * authenticate, its double certificate and keys, the client-certificate policy, where sessions
 * wait for resumption, and the clock and randomness the engine may use (it touches no others).
 * {@code listener} names the listener whose sessions these are: a session resumes only on the
 * listener that created it; {@code binding} ties a session to the client's key record.
 */
public record TlcpServerConfig(List<CipherSuite> suites, ClientAuth clientAuth, TlcpCredentials credentials,
                               CertificatePolicy clientPolicy, SessionCache sessions, Clock clock, SecureRandom random,
                               String listener, SessionBinding binding) {

    /** A server with one listener and no key records (tests, tools, the agent). */
    public TlcpServerConfig(List<CipherSuite> suites, ClientAuth clientAuth, TlcpCredentials credentials,
                            CertificatePolicy clientPolicy, SessionCache sessions, Clock clock, SecureRandom random) {
        this(suites, clientAuth, credentials, clientPolicy, sessions, clock, random, "", SessionBinding.NONE);
    }

    public TlcpServerConfig {
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(binding, "binding");
        suites = List.copyOf(suites);
        Objects.requireNonNull(clientAuth, "clientAuth");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(random, "random");
        if (suites.isEmpty()) {
            throw bad("no cipher suites enabled");
        }
        if (credentials.encCertificate().isEmpty()) {
            throw bad("a TLCP server needs an encryption certificate as well as its sign certificate");
        }
        if (suites.stream().anyMatch(s -> !s.ecdhe) && credentials.decryptor().isEmpty()) {
            throw bad("the ECC suites need the encryption key's decrypt operation");
        }
        if (suites.stream().anyMatch(s -> s.ecdhe) && credentials.encKey().isEmpty()) {
            throw bad("the ECDHE suites need the whole encryption private key (SM2 key exchange)");
        }
        if (clientAuth != ClientAuth.NONE && clientPolicy == null) {
            throw bad("client authentication " + clientAuth + " needs a client certificate policy");
        }
    }

    private static TlcpException bad(String why) {
        return new TlcpException(TlcpErrors.BAD_CONFIGURATION, Alert.INTERNAL_ERROR, why);
    }
}
