package io.gmgate.tlcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.jupiter.api.Test;

import io.gmgate.crypto.EncodedCertificate;
import io.gmgate.tlcp.interop.TestPki;

class EncodedCertificateTest {

    private final X509CertificateHolder plain = TestPki.create("encoded").issueSign("8001234").certificate();

    @Test
    void itIsTheSameCertificateWithTheSameEncoding() throws Exception {
        byte[] der = plain.getEncoded();
        X509CertificateHolder kept = EncodedCertificate.parse(der);
        assertArrayEquals(der, kept.getEncoded());
        assertEquals(plain, kept);
        assertEquals(kept, plain);
        assertEquals(plain.hashCode(), kept.hashCode());
        assertEquals(plain.getSubject(), kept.getSubject());
    }

    @Test
    void whatItHandsOutCannotChangeIt() throws Exception {
        X509CertificateHolder kept = EncodedCertificate.parse(plain.getEncoded());
        byte[] first = kept.getEncoded();
        first[first.length - 1] ^= 1;
        assertArrayEquals(plain.getEncoded(), kept.getEncoded());
    }
}
