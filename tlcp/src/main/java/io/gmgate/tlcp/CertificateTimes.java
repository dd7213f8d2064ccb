package io.gmgate.tlcp;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * A certificate's validity dates as instants. RFC 5280 §4.1.2.5 fixes their DER form (UTCTime
 * YYMMDDHHMMSSZ, years 1950–2049; GeneralizedTime YYYYMMDDHHMMSSZ), which is read here directly;
 * BouncyCastle's own reading goes through a date format per call, a measurable part of every
 * handshake's path check. Anything not in that form is read BouncyCastle's way.
 */
final class CertificateTimes {

    private static final int UTC_TIME = 0x17;
    private static final int GENERALIZED_TIME = 0x18;

    private CertificateTimes() {
    }

    static boolean isValidAt(X509CertificateHolder c, Instant at) {
        var tbs = c.toASN1Structure();
        return !at.isBefore(instant(tbs.getStartDate())) && !at.isAfter(instant(tbs.getEndDate()));
    }

    static Instant instant(Time time) {
        byte[] tlv;
        try {
            tlv = time.toASN1Primitive().getEncoded();
        } catch (IOException e) {
            return time.getDate().toInstant();
        }
        Instant strict = strictDer(tlv);
        return strict != null ? strict : time.getDate().toInstant();
    }

    /** The instant of a DER UTCTime or GeneralizedTime TLV in RFC 5280's form, else null. */
    static Instant strictDer(byte[] tlv) {
        int tag = tlv.length > 2 ? tlv[0] & 0xff : -1;
        int length = tlv.length > 2 ? tlv[1] & 0xff : -1;
        int yearDigits = tag == UTC_TIME ? 2 : tag == GENERALIZED_TIME ? 4 : -1;
        if (yearDigits < 0 || length != yearDigits + 11 || tlv.length != 2 + length || tlv[tlv.length - 1] != 'Z') {
            return null;
        }
        int[] v = new int[yearDigits + 10];
        for (int i = 0; i < v.length; i++) {
            int d = tlv[2 + i] - '0';
            if (d < 0 || d > 9) {
                return null;
            }
            v[i] = d;
        }
        int at = 0;
        int year;
        if (yearDigits == 2) {
            year = v[0] * 10 + v[1];
            year += year >= 50 ? 1900 : 2000;
            at = 2;
        } else {
            year = v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3];
            at = 4;
        }
        int month = v[at] * 10 + v[at + 1];
        int day = v[at + 2] * 10 + v[at + 3];
        int hour = v[at + 4] * 10 + v[at + 5];
        int minute = v[at + 6] * 10 + v[at + 7];
        int second = v[at + 8] * 10 + v[at + 9];
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second).toInstant(ZoneOffset.UTC);
        } catch (java.time.DateTimeException notADate) {
            return null;
        }
    }
}
