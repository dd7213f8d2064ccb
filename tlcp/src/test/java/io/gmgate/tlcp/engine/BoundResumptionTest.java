package io.gmgate.tlcp.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.jupiter.api.Test;

import io.gmgate.tlcp.Alert;
import io.gmgate.tlcp.CipherSuite;
import io.gmgate.tlcp.ClientAuth;
import io.gmgate.tlcp.InMemorySessionCache;
import io.gmgate.tlcp.RevocationCheck;
import io.gmgate.tlcp.SessionBinding;
import io.gmgate.tlcp.SessionState;
import io.gmgate.tlcp.TlcpEngine;
import io.gmgate.tlcp.TlcpErrors;
import io.gmgate.tlcp.TlcpException;
import io.gmgate.tlcp.TlcpServerConfig;

/**
 * docs/security.md, "Sessions and resumption" at the engine: a session resumes only on the listener that created it,
 * never without a client chain where client auth is required, and only while the key record it
 * was bound to may still trade.
 */
class BoundResumptionTest {

    private final InMemorySessionCache shared = new InMemorySessionCache(10, Duration.ofMinutes(5), Clock.systemUTC());

    private TlcpServerConfig listener(String name, ClientAuth auth, SessionBinding binding) {
        TlcpServerConfig base = TlcpFixtures.server(List.of(CipherSuite.ECC_SM4_GCM_SM3), auth, shared, RevocationCheck.NONE);
        return new TlcpServerConfig(base.suites(), auth, base.credentials(), base.clientPolicy(), shared, base.clock(),
                base.random(), name, binding);
    }

    private static SessionState fullHandshake(TlcpServerConfig server, boolean withCertificate) {
        TlcpEngine s = TlcpEngine.server("s", server);
        TlcpEngine c = TlcpEngine.client("c", TlcpFixtures.client(CipherSuite.ECC_SM4_GCM_SM3, withCertificate));
        TlcpFixtures.pump(c, s, 1 << 20);
        assertTrue(s.isHandshakeComplete() && !s.resumed());
        return c.session().orElseThrow();
    }

    @Test
    void aOneWaySessionFromAnotherListenerIsNotResumedWhereACertificateIsRequired() {
        SessionState oneWay = fullHandshake(listener("enrolment", ClientAuth.NONE, SessionBinding.NONE), false);
        TlcpEngine trading = TlcpEngine.server("trading", listener("trading", ClientAuth.REQUIRED, SessionBinding.NONE));
        TlcpEngine anonymous = TlcpEngine.client("anon", TlcpFixtures.client(CipherSuite.ECC_SM4_GCM_SM3, false).resuming(oneWay));
        TlcpException e = assertThrows(TlcpException.class, () -> TlcpFixtures.pump(anonymous, trading, 1 << 20));
        assertEquals(TlcpErrors.CLIENT_CERTIFICATE_REQUIRED, e.errorCode(), "a full handshake, which demands the certificate");
        assertFalse(trading.resumed());
        assertEquals(TlcpErrors.RESUMPTION_REFUSED, trading.resumptionRefused().orElseThrow().errorCode());
    }

    @Test
    void aSessionOfAnotherListenerIsNotResumedEvenWithTheSameClientAuth() {
        SessionState s = fullHandshake(listener("a", ClientAuth.OPTIONAL, SessionBinding.NONE), true);
        TlcpEngine other = TlcpEngine.server("b", listener("b", ClientAuth.OPTIONAL, SessionBinding.NONE));
        TlcpEngine c = TlcpEngine.client("c", TlcpFixtures.client(CipherSuite.ECC_SM4_GCM_SM3, true).resuming(s));
        TlcpFixtures.pump(c, other, 1 << 20);
        assertTrue(other.isHandshakeComplete() && !other.resumed() && !c.resumed(), "full handshake on listener b");
        assertTrue(other.resumptionRefused().orElseThrow().getMessage().contains("listener 'a'"));
    }

    @Test
    void aSessionWithoutAChainMadeWhileClientAuthWasOptionalIsNotResumedOnceItIsRequired() {
        SessionState oneWay = fullHandshake(listener("trading", ClientAuth.OPTIONAL, SessionBinding.NONE), false);
        TlcpEngine normal = TlcpEngine.server("trading", listener("trading", ClientAuth.REQUIRED, SessionBinding.NONE));
        TlcpEngine c = TlcpEngine.client("c", TlcpFixtures.client(CipherSuite.ECC_SM4_GCM_SM3, false).resuming(oneWay));
        assertThrows(TlcpException.class, () -> TlcpFixtures.pump(c, normal, 1 << 20));
        assertFalse(normal.resumed());
        assertEquals(TlcpErrors.RESUMPTION_REFUSED, normal.resumptionRefused().orElseThrow().errorCode());
    }

    @Test
    void aSessionIsBoundToTheKeyRecordAndRecheckedOnEveryResumption() {
        AtomicReference<String> locked = new AtomicReference<>("");
        SessionBinding devices = new SessionBinding() {
            @Override
            public Optional<String> bind(List<X509CertificateHolder> chain, byte[] certificateVerify) {
                assertTrue(certificateVerify.length > 0, "the binding sees the client's signature");
                return Optional.of("key:41");
            }

            @Override
            public void recheck(List<X509CertificateHolder> chain, String keyRecord, Instant now) {
                if (keyRecord.equals(locked.get())) {
                    throw new TlcpException(TlcpErrors.PEER_CERTIFICATE_REVOKED, Alert.CERTIFICATE_REVOKED, keyRecord + " is LOCKED");
                }
            }
        };
        TlcpServerConfig trading = listener("trading", ClientAuth.REQUIRED, devices);
        SessionState s = fullHandshake(trading, true);
        assertEquals("key:41", shared.get(s.id()).orElseThrow().keyRecord());
        assertEquals("trading", shared.get(s.id()).orElseThrow().listener());

        TlcpEngine again = TlcpEngine.server("s2", trading);
        TlcpEngine c2 = TlcpEngine.client("c2", TlcpFixtures.client(CipherSuite.ECC_SM4_GCM_SM3, true).resuming(s));
        TlcpFixtures.pump(c2, again, 1 << 20);
        assertTrue(again.resumed());

        locked.set("key:41");
        TlcpEngine refused = TlcpEngine.server("s3", trading);
        TlcpEngine c3 = TlcpEngine.client("c3", TlcpFixtures.client(CipherSuite.ECC_SM4_GCM_SM3, true).resuming(s));
        TlcpException e = assertThrows(TlcpException.class, () -> TlcpFixtures.pump(c3, refused, 1 << 20));
        assertEquals(TlcpErrors.PEER_CERTIFICATE_REVOKED, e.errorCode());
        assertTrue(shared.get(s.id()).isEmpty(), "dropped from the cache");
    }

    @Test
    void aSessionWhoseDeviceCannotBeToldIsNotOfferedForResumption() {
        SessionBinding unknown = new SessionBinding() {
            @Override
            public Optional<String> bind(List<X509CertificateHolder> chain, byte[] certificateVerify) {
                return Optional.empty();
            }

            @Override
            public void recheck(List<X509CertificateHolder> chain, String keyRecord, Instant now) {
            }
        };
        SessionState s = fullHandshake(listener("trading", ClientAuth.REQUIRED, unknown), true);
        assertTrue(shared.get(s.id()).isEmpty());
    }

    @Test
    void theBindingSurvivesTheCacheFormat() {
        SessionState s = new SessionState(new byte[] {1, 2}, CipherSuite.ECC_SM4_GCM_SM3, new byte[48], List.of(),
                Instant.ofEpochMilli(5)).boundTo("trading", "key:7");
        SessionState back = SessionState.fromBytes(s.toBytesWithoutSecret(), s.masterSecret());
        assertEquals("trading", back.listener());
        assertEquals("key:7", back.keyRecord());
        assertEquals(Instant.ofEpochMilli(5), back.created());
        assertEquals(CipherSuite.ECC_SM4_GCM_SM3, back.suite());
    }
}
