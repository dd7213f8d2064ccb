package io.gmgate.tlcp.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import io.gmgate.tlcp.Alert;
import io.gmgate.tlcp.CipherSuite;
import io.gmgate.tlcp.ClientAuth;
import io.gmgate.tlcp.InMemorySessionCache;
import io.gmgate.tlcp.SessionState;
import io.gmgate.tlcp.TlcpEngine;
import io.gmgate.tlcp.TlcpErrors;
import io.gmgate.tlcp.TlcpException;
import io.gmgate.tlcp.TlcpServerConfig;

/** Session-id resumption: abbreviated when allowed, and never a way around a revocation. */
class ResumptionTest {

    @Test
    void aSessionResumesWithAnAbbreviatedHandshakeUntilTheCertificateIsRevoked() {
        AtomicBoolean revoked = new AtomicBoolean();
        InMemorySessionCache cache = new InMemorySessionCache(10, Duration.ofMinutes(5), Clock.systemUTC());
        TlcpServerConfig cfg = TlcpFixtures.server(List.of(CipherSuite.ECC_SM4_GCM_SM3), ClientAuth.REQUIRED, cache, cert -> {
            if (revoked.get()) {
                throw new TlcpException(TlcpErrors.PEER_CERTIFICATE_REVOKED, Alert.CERTIFICATE_REVOKED, "locked");
            }
        });
        TlcpEngine s1 = TlcpEngine.server("s1", cfg);
        TlcpEngine c1 = TlcpEngine.client("c1", TlcpFixtures.client(CipherSuite.ECC_SM4_GCM_SM3, true));
        TlcpFixtures.pump(c1, s1, 1 << 20);
        SessionState session = c1.session().orElseThrow();
        assertFalse(c1.resumed());

        TlcpEngine s2 = TlcpEngine.server("s2", cfg);
        TlcpEngine c2 = TlcpEngine.client("c2", TlcpFixtures.client(CipherSuite.ECC_SM4_GCM_SM3, true).resuming(session));
        TlcpFixtures.pump(c2, s2, 1 << 20);
        assertTrue(c2.resumed() && s2.resumed(), "abbreviated handshake");
        assertEquals(TlcpFixtures.TRADER.sign().certificate(), s2.peerCertificates().get(0), "the identity comes back with it");

        revoked.set(true);
        TlcpEngine s3 = TlcpEngine.server("s3", cfg);
        TlcpEngine c3 = TlcpEngine.client("c3", TlcpFixtures.client(CipherSuite.ECC_SM4_GCM_SM3, true).resuming(session));
        TlcpException e = assertThrows(TlcpException.class, () -> TlcpFixtures.pump(c3, s3, 1 << 20));
        assertTrue(e.getMessage().contains("locked") || e.getMessage().contains("certificate_revoked"), e.getMessage());
        assertTrue(cache.get(session.id()).isEmpty(), "the revoked session is dropped from the cache");
    }
}
