package io.gmgate.tlcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.jupiter.api.Test;

import io.gmgate.crypto.EncodedCertificate;
import io.gmgate.crypto.Sm3;
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

    @Test
    void itsDigestIsTheDigestOfItsEncodingWhoeverAsksAndWhateverTheyDoWithIt() throws Exception {
        byte[] expected = Sm3.digest(plain.getEncoded());
        X509CertificateHolder kept = EncodedCertificate.parse(plain.getEncoded());
        byte[] first = EncodedCertificate.sm3(kept);
        assertArrayEquals(expected, first);
        first[0] ^= 1;
        assertArrayEquals(expected, EncodedCertificate.sm3(kept), "the kept digest is not the one handed out");
        assertArrayEquals(expected, EncodedCertificate.sm3(plain), "a certificate parsed elsewhere is digested on the spot");
    }
}
