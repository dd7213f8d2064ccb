package io.gmgate.tlcp;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.BiPredicate;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.path.CertPathValidation;
import org.bouncycastle.cert.path.CertPathValidationContext;
import org.bouncycastle.cert.path.CertPathValidationException;
import org.bouncycastle.cert.path.CertPathValidationResult;
import org.bouncycastle.util.Memoable;

/**
 * The rules of {@link CertificatePathValidator} that BouncyCastle's path package does not ship, as
 * {@link CertPathValidation}s: BouncyCastle walks each rule over the path from the anchor down to the
 * leaf, so a rule that needs the issuer remembers the certificate it saw last. One set per path.
 */
final class PathRules {

    /** Critical extensions gmgate processes (RFC 5280 §4.2: any other critical one refuses the path). */
    static final Set<ASN1ObjectIdentifier> UNDERSTOOD = Set.of(Extension.basicConstraints, Extension.keyUsage,
            Extension.extendedKeyUsage, Extension.subjectAlternativeName, Extension.subjectKeyIdentifier,
            Extension.authorityKeyIdentifier);

    // The rule order of CertificatePathValidator.check, which refusal() maps to codes.
    static final int SIGNATURES = 0;
    static final int VALIDITY = 1;
    static final int BASIC_CONSTRAINTS = 2;
    static final int KEY_USAGE = 3;
    static final int INTERMEDIATE_STATUS = 4;

    private PathRules() {
    }

    /** Every certificate below the anchor verifies under the key of the one above (§6.1.3 (a)(1)). */
    static final class Signatures extends Stateless {
        private final BiPredicate<X509CertificateHolder, X509CertificateHolder> signedBy;
        private X509CertificateHolder above;

        Signatures(BiPredicate<X509CertificateHolder, X509CertificateHolder> signedBy) {
            this.signedBy = signedBy;
        }

        @Override
        public void validate(CertPathValidationContext context, X509CertificateHolder c) throws CertPathValidationException {
            X509CertificateHolder issuer = above;
            above = c;
            if (issuer != null && !(c.getIssuer().equals(issuer.getSubject()) && signedBy.test(c, issuer))) {
                throw new CertPathValidationException("the signature of " + c.getSubject() + " does not verify under the key of "
                        + issuer.getSubject());
            }
        }
    }

    /** Every certificate, the anchor included, valid at the injected instant (§6.1.3 (a)(2)). */
    static final class Validity extends Stateless {
        private final Instant now;

        Validity(Instant now) {
            this.now = now;
        }

        @Override
        public void validate(CertPathValidationContext context, X509CertificateHolder c) throws CertPathValidationException {
            if (!CertificateTimes.isValidAt(c, now)) {
                throw new CertPathValidationException(c.getSubject() + " is valid " + c.getNotBefore().toInstant() + " to "
                        + c.getNotAfter().toInstant() + ", not at " + now);
            }
        }
    }

    /** The status of each intermediate, asked of its issuer's revocation source (§6.1.3 (a)(3)). */
    static final class IntermediateStatus extends Stateless {
        private final IssuerStatus status;
        private final Instant now;
        private X509CertificateHolder above;

        IntermediateStatus(IssuerStatus status, Instant now) {
            this.status = status;
            this.now = now;
        }

        @Override
        public void validate(CertPathValidationContext context, X509CertificateHolder c) {
            X509CertificateHolder issuer = above;
            above = c;
            if (issuer != null && !context.isEndEntity()) {
                status.check(c, issuer, now);
            }
        }
    }

    /** Marks the extensions gmgate processes as handled; what stays unhandled and critical refuses. */
    static final class KnownExtensions extends Stateless {
        @Override
        public void validate(CertPathValidationContext context, X509CertificateHolder c) {
            UNDERSTOOD.forEach(context::addHandledExtension);
        }
    }

    /** The rules keep per-path state and run once; BouncyCastle's path code never copies them. */
    abstract static class Stateless implements CertPathValidation {
        @Override
        public Memoable copy() {
            return this;
        }

        @Override
        public void reset(Memoable other) {
        }
    }

    /** The coded refusal for a failed result; the path runs leaf first, anchor last. */
    static TlcpException refusal(CertPathValidationResult result, List<X509CertificateHolder> path, Instant now) {
        if (result.getFailingRuleIndex() < 0) {
            return new TlcpException(TlcpErrors.UNKNOWN_CRITICAL_EXTENSION, Alert.UNSUPPORTED_CERTIFICATE,
                    "the path of " + path.get(0).getSubject() + " carries critical extensions gmgate does not process: "
                            + result.getUnhandledCriticalExtensionOIDs());
        }
        int at = result.getFailingCertIndex();
        X509CertificateHolder c = path.get(at);
        String above = at + 1 < path.size() ? path.get(at + 1).getSubject().toString() : "(none)";
        String why = result.getCause().getMessage();
        return switch (result.getFailingRuleIndex()) {
            case SIGNATURES -> new TlcpException(TlcpErrors.PEER_CERTIFICATE_UNTRUSTED, Alert.BAD_CERTIFICATE, why);
            case VALIDITY -> new TlcpException(TlcpErrors.PEER_CERTIFICATE_EXPIRED, Alert.CERTIFICATE_EXPIRED, why);
            case BASIC_CONSTRAINTS -> why != null && why.contains("path length")
                    ? new TlcpException(TlcpErrors.PATH_TOO_LONG, Alert.BAD_CERTIFICATE,
                            "a path length constraint above " + c.getSubject() + " is exceeded (path of " + path.size() + ")")
                    : new TlcpException(TlcpErrors.ISSUER_NOT_CA, Alert.BAD_CERTIFICATE,
                            above + " issued " + c.getSubject() + " but is no CA (basicConstraints cA=TRUE missing)");
            case KEY_USAGE -> new TlcpException(TlcpErrors.ISSUER_KEY_USAGE, Alert.BAD_CERTIFICATE,
                    c.getSubject() + " issues certificates but its keyUsage lacks keyCertSign");
            default -> new TlcpException(TlcpErrors.PEER_CERTIFICATE_UNTRUSTED, Alert.BAD_CERTIFICATE,
                    "rule " + result.getFailingRuleIndex() + " refused " + c.getSubject() + ": " + why);
        };
    }
}
