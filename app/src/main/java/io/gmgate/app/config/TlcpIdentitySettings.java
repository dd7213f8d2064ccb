package io.gmgate.app.config;

import java.util.List;

import io.gmgate.tlcp.CipherSuite;

/**
 * The gateway's own TLCP identity: its double certificate and CA chain (PEM files written by
 * {@code gmgate ca init --out}), the card indexes of its sign and encryption keys, the roots its
 * clients' certificates must chain to, the suites it offers, and whether TLS 1.3 (RFC 8998) is also
 * accepted on the GM ports. The ECDHE suites need a card that does the SM2 key exchange with its
 * internal encryption key (checked when the node starts); the ECC suites only decrypt with it.
 */
public record TlcpIdentitySettings(String signCertificate, String encCertificate, String chain, String trustRoots,
                                   int signKeyIndex, int encKeyIndex, List<CipherSuite> suites, boolean tls13,
                                   boolean acceptExternalWholeKeys) {

    static TlcpIdentitySettings read(ConfigNode n) {
        List<String> names = n.strings("suites");
        List<CipherSuite> suites = names.isEmpty() ? List.of(CipherSuite.ECC_SM4_GCM_SM3, CipherSuite.ECC_SM4_CBC_SM3)
                : names.stream().map(s -> parseSuite(n, s)).toList();
        TlcpIdentitySettings t = new TlcpIdentitySettings(
                n.string("signCertificate", "/etc/gmgate/pki/gateway-sign.pem"),
                n.string("encCertificate", "/etc/gmgate/pki/gateway-enc.pem"),
                n.string("chain", "/etc/gmgate/pki/ca-chain.pem"),
                n.string("trustRoots", "/etc/gmgate/pki/root.pem"),
                n.integer("signKeyIndex", 201, 1, 65_535),
                n.integer("encKeyIndex", 202, 1, 65_535),
                suites,
                n.bool("tls13", false),
                n.bool("acceptExternalWholeKeys", false));
        n.done();
        return t;
    }

    private static CipherSuite parseSuite(ConfigNode n, String s) {
        try {
            return CipherSuite.valueOf(s.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw n.error(n.path() + ".suites", "names an unknown suite '" + s
                    + "' (ECC_SM4_GCM_SM3, ECC_SM4_CBC_SM3, ECDHE_SM4_GCM_SM3, ECDHE_SM4_CBC_SM3)");
        }
    }
}
