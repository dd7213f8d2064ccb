package io.gmgate.ca;

import java.time.Duration;
import java.util.Objects;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * Settings of the embedded CA, checked once. Key indexes address the cipher card; crlUrl (may be
 * null) goes into issued certificates' CRL distribution point.
 */
public record EmbeddedCaConfig(String name, X500Name rootSubject, X500Name issuingSubject, int rootKeyIndex,
                               int issuingKeyIndex, SubjectTemplate subjectTemplate, Duration leafValidity,
                               Duration rootValidity, Duration issuingValidity, Duration crlValidity, String crlUrl) {

    public EmbeddedCaConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(rootSubject, "rootSubject");
        Objects.requireNonNull(issuingSubject, "issuingSubject");
        Objects.requireNonNull(subjectTemplate, "subjectTemplate");
        if (rootKeyIndex == issuingKeyIndex) {
            throw new IllegalArgumentException("root and issuing CA keys need different card indexes, both are " + rootKeyIndex);
        }
        for (Duration d : new Duration[] {leafValidity, rootValidity, issuingValidity, crlValidity}) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("every validity must be positive: " + d);
            }
        }
        if (issuingValidity.compareTo(rootValidity) > 0 || leafValidity.compareTo(issuingValidity) > 0) {
            throw new IllegalArgumentException("validity must shrink down the chain: root " + rootValidity
                    + " ≥ issuing " + issuingValidity + " ≥ leaf " + leafValidity);
        }
    }

    /**
     * Defaults for a firm: 5-year leaves as on the clearing house's certificates (docs/ca-client.md, "Renewal"), daily CRLs,
     * root and issuing CA 10 years: GmSSL refuses any certificate valid for more than 3653 days
     * (X509_VALIDITY_MAX_DAYS), the root it is given to trust included.
     */
    public static EmbeddedCaConfig defaults(String firm) {
        String o = "O=" + SubjectTemplate.escape(firm) + ",C=CN";
        return new EmbeddedCaConfig("embedded", new X500Name(BCStyle.INSTANCE, "CN=gmgate Root CA," + o),
                new X500Name(BCStyle.INSTANCE, "CN=gmgate Issuing CA," + o), 101, 102,
                new SubjectTemplate("CN={account},OU=Traders," + o), Duration.ofDays(5 * 365),
                Duration.ofDays(10 * 365), Duration.ofDays(10 * 365), Duration.ofDays(1), null);
    }

    public EmbeddedCaConfig withName(String n) {
        return new EmbeddedCaConfig(n, rootSubject, issuingSubject, rootKeyIndex, issuingKeyIndex, subjectTemplate,
                leafValidity, rootValidity, issuingValidity, crlValidity, crlUrl);
    }

    public EmbeddedCaConfig withKeyIndexes(int root, int issuing) {
        return new EmbeddedCaConfig(name, rootSubject, issuingSubject, root, issuing, subjectTemplate,
                leafValidity, rootValidity, issuingValidity, crlValidity, crlUrl);
    }

    public EmbeddedCaConfig withLeafValidity(Duration v) {
        return new EmbeddedCaConfig(name, rootSubject, issuingSubject, rootKeyIndex, issuingKeyIndex, subjectTemplate,
                v, rootValidity, issuingValidity, crlValidity, crlUrl);
    }

    public EmbeddedCaConfig withCrlUrl(String url) {
        return new EmbeddedCaConfig(name, rootSubject, issuingSubject, rootKeyIndex, issuingKeyIndex, subjectTemplate,
                leafValidity, rootValidity, issuingValidity, crlValidity, url);
    }
}
