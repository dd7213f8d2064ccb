package io.gmgate.app.wiring;

import java.util.List;

import org.bouncycastle.cert.X509CertificateHolder;

import io.gmgate.tlcp.CipherSuite;
import io.gmgate.tlcp.TlcpCredentials;

/**
 * How a gateway node speaks TLCP (and TLS 1.3 when {@code tls13}): its own certificates and keys, the
 * roots it accepts client certificates under, the suites it offers, and whether a client certificate
 * whose key was generated outside the cosign nodes (a whole key, not two shares) may log in.
 */
public record NodeTls(TlcpCredentials credentials, List<X509CertificateHolder> trustRoots, List<CipherSuite> suites,
                      boolean tls13, boolean acceptExternalWholeKeys) {
}
