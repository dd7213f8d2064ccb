package io.gmgate.tlcp.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

import io.gmgate.crypto.GmPem;
import io.gmgate.tlcp.interop.TestPki;

class PeerKeysTest {

    private static final TestPki PKI = TestPki.create("peer keys");

    @Test
    void theSameKeyComesBackAsTheSameObjectAndEachCertificateGetsItsOwnKey() {
        TestPki.DoubleCert a = PKI.issueDouble("8001");
        TestPki.DoubleCert b = PKI.issueDouble("8002");
        assertSame(PeerKeys.of(a.sign().certificate()), PeerKeys.of(a.sign().certificate()));
        assertEquals(GmPem.publicKey(a.sign().certificate()), PeerKeys.of(a.sign().certificate()));
        assertEquals(GmPem.publicKey(b.sign().certificate()), PeerKeys.of(b.sign().certificate()));
        assertNotEquals(PeerKeys.of(a.sign().certificate()), PeerKeys.of(b.sign().certificate()));
    }
}
