package io.gmgate.tlcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;

import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.x509.Time;
import org.junit.jupiter.api.Test;

import io.gmgate.tlcp.interop.TestPki;

class CertificateTimesTest {

    @Test
    void utcTimeYearsFollowRfc5280AndAgreeWithBouncyCastle() throws Exception {
        for (String t : new String[] {"491231235959Z", "500101000000Z", "261207203000Z", "000229120000Z"}) {
            Time time = new Time(new ASN1UTCTime(t));
            assertEquals(time.getDate().toInstant(), CertificateTimes.instant(time), t);
        }
        assertEquals(Instant.parse("2049-12-31T23:59:59Z"), CertificateTimes.instant(new Time(new ASN1UTCTime("491231235959Z"))));
        assertEquals(Instant.parse("1950-01-01T00:00:00Z"), CertificateTimes.instant(new Time(new ASN1UTCTime("500101000000Z"))));
    }

    @Test
    void generalizedTimeAgreesWithBouncyCastle() {
        for (String t : new String[] {"20500101000000Z", "99991231235959Z", "20261207203000Z"}) {
            Time time = new Time(new ASN1GeneralizedTime(t));
            assertEquals(time.getDate().toInstant(), CertificateTimes.instant(time), t);
        }
    }

    @Test
    void anythingButTheStrictFormIsLeftToBouncyCastle() {
        assertNull(CertificateTimes.strictDer(tlv(0x17, "2612072030Z")), "no seconds");
        assertNull(CertificateTimes.strictDer(tlv(0x18, "20261207203000.5Z")), "fractional seconds");
        assertNull(CertificateTimes.strictDer(tlv(0x17, "261207203000+0800")), "an offset");
        assertNull(CertificateTimes.strictDer(tlv(0x17, "261307203000Z")), "month 13");
        assertNull(CertificateTimes.strictDer(tlv(0x04, "261207203000Z")), "not a time");
        Time offset = new Time(new ASN1UTCTime("261207203000+0800"));
        assertEquals(offset.getDate().toInstant(), CertificateTimes.instant(offset));
    }

    @Test
    void validityIsInclusiveAtBothEnds() {
        TestPki.Credential c = TestPki.create("times").issueSign("8001234");
        Instant from = c.certificate().getNotBefore().toInstant();
        Instant to = c.certificate().getNotAfter().toInstant();
        assertTrue(CertificateTimes.isValidAt(c.certificate(), from));
        assertTrue(CertificateTimes.isValidAt(c.certificate(), to));
        assertFalse(CertificateTimes.isValidAt(c.certificate(), from.minusMillis(1)));
        assertFalse(CertificateTimes.isValidAt(c.certificate(), to.plusMillis(1)));
        assertEquals(c.certificate().isValidOn(Date.from(to.plusMillis(1))), CertificateTimes.isValidAt(c.certificate(), to.plusMillis(1)));
    }

    private static byte[] tlv(int tag, String text) {
        byte[] v = text.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[2 + v.length];
        out[0] = (byte) tag;
        out[1] = (byte) v.length;
        System.arraycopy(v, 0, out, 2, v.length);
        return out;
    }
}
