package io.gmgate.keystore;

import java.time.Instant;

/** A certificate issued for a key, by issuer and serial (status lives with ca-client). */
public record CertificateLink(long keyId, String issuer, String serial, Instant linkedAt) {
}
