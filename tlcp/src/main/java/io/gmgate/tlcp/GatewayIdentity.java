package io.gmgate.tlcp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;

import io.gmgate.crypto.GmPem;
import io.gmgate.crypto.Sm2Signature;
import io.gmgate.crypto.Sm2Signer;

/**
 * What a terminal requires of the server it dialled, on top of the chain check (design §4 step 5):
 * the gateway role, id-kp-serverAuth in the extended key usage, which the CA never gives a trader;
 * the dialled host in the subjectAltName (RFC 6125 §6.4: a DNS-ID for a name, an IP-ID for an
 * address, exact, no wildcard, no fallback to the CN); both on the sign and on the encryption
 * certificate; and each issued by CA certificates up to a root (a trader's certificate, which signs
 * through his co-sign session, never issues a "gateway"). With pins configured, each of the two
 * must also have a pinned certificate (itself or a CA above it) on its signature path, and anything
 * else is refused.
 *
 * <p>{@link #foreign} drops the role and name (not the pins) for talking to servers that are not
 * gmgate gateways, such as a GmSSL or Tongsuo test server; terminals never use it.
 */
public final class GatewayIdentity {

    private static final int MAX_DEPTH = 8;

    private final boolean gatewayRole;
    private final List<CertificatePin> pins;

    private GatewayIdentity(boolean gatewayRole, List<CertificatePin> pins) {
        this.gatewayRole = gatewayRole;
        this.pins = List.copyOf(pins);
    }

    /** The terminals' default: the gateway role and the dialled name, no pins. */
    public static GatewayIdentity strict() {
        return new GatewayIdentity(true, List.of());
    }

    /** No role or name required: a foreign TLCP/TLS server that the caller chose explicitly. */
    public static GatewayIdentity foreign() {
        return new GatewayIdentity(false, List.of());
    }

    /** The same check, and one of {@code pins} on each certificate's path (the leaf, its CAs or the root). */
    public GatewayIdentity pinned(List<CertificatePin> pins) {
        return new GatewayIdentity(gatewayRole, pins);
    }

    public boolean requiresGatewayRole() {
        return gatewayRole;
    }

    public List<CertificatePin> pins() {
        return pins;
    }

    /**
     * {@code chain} first (the root, validity, usages, revocation), then this check for {@code host};
     * {@code roots} are the trust roots the chain check uses (the server need not send its root).
     */
    public CertificatePolicy after(CertificatePolicy chain, String host, List<X509CertificateHolder> roots) {
        GatewayIdentity self = this;
        // the chain check has just verified these signatures: ask it, not the curve, when it can answer
        SignatureCheck signatures = chain instanceof X509CertificatePolicy x ? x.signatures() : GatewayIdentity::signedBy;
        return new CertificatePolicy() {
            @Override
            public void check(X509CertificateHolder sign, Optional<X509CertificateHolder> enc,
                              List<X509CertificateHolder> others, Instant now) {
                chain.check(sign, enc, others, now);
                self.check(host, sign, enc, others, roots, signatures);
            }

            @Override
            public List<org.bouncycastle.asn1.x500.X500Name> acceptedIssuers() {
                return chain.acceptedIssuers();
            }
        };
    }

    /**
     * Throws CERT-140 (not the gateway for host) or CERT-141 (not pinned); the alert is bad_certificate.
     * {@code others} are the CA certificates the server sent, {@code roots} the terminal's trust roots.
     */
    public void check(String host, X509CertificateHolder sign, Optional<X509CertificateHolder> enc,
                      List<X509CertificateHolder> others, List<X509CertificateHolder> roots) {
        check(host, sign, enc, others, roots, GatewayIdentity::signedBy);
    }

    private void check(String host, X509CertificateHolder sign, Optional<X509CertificateHolder> enc,
                       List<X509CertificateHolder> others, List<X509CertificateHolder> roots, SignatureCheck signatures) {
        List<X509CertificateHolder> leaves = new ArrayList<>(List.of(sign));
        enc.ifPresent(leaves::add);
        for (X509CertificateHolder leaf : leaves) {
            String role = leaf == sign ? "sign" : "encryption";
            if (gatewayRole) {
                if (!hasServerRole(leaf)) {
                    throw notGateway(host, "its " + role + " certificate " + leaf.getSubject()
                            + " lacks the gateway role (extended key usage id-kp-serverAuth)");
                }
                if (!names(leaf, host)) {
                    throw notGateway(host, "its " + role + " certificate " + leaf.getSubject() + " does not name " + host
                            + " in its subjectAltName (names: " + altNames(leaf) + ")");
                }
            }
            if (!gatewayRole && pins.isEmpty()) {
                continue;
            }
            List<X509CertificateHolder> path = path(leaf, others, roots, signatures);
            if (gatewayRole) {
                issuedByCas(host, role, path, roots);
            }
            if (!pins.isEmpty() && path.stream().noneMatch(this::pinned)) {
                throw new TlcpException(TlcpErrors.SERVER_NOT_PINNED, Alert.BAD_CERTIFICATE,
                        "the server at " + host + " is not a pinned gmgate gateway: no certificate on the path of its "
                                + role + " certificate " + leaf.getSubject() + " matches the " + pins.size() + " configured pins");
            }
        }
    }

    private static TlcpException notGateway(String host, String why) {
        return new TlcpException(TlcpErrors.SERVER_NOT_GATEWAY, Alert.BAD_CERTIFICATE,
                "the server is not a gmgate gateway for " + host + ": " + why);
    }

    static boolean hasServerRole(X509CertificateHolder c) {
        ExtendedKeyUsage eku = ExtendedKeyUsage.fromExtensions(c.getExtensions());
        return eku != null && eku.hasKeyPurposeId(KeyPurposeId.id_kp_serverAuth);
    }

    /** RFC 6125 §6.4 without wildcards and without CN-IDs; an address matches only an iPAddress entry (§6.2.1). */
    static boolean names(X509CertificateHolder c, String host) {
        Optional<byte[]> ip = ipLiteral(host);
        String dns = normalise(host);
        for (GeneralName n : sans(c)) {
            if (ip.isPresent() && n.getTagNo() == GeneralName.iPAddress
                    && Arrays.equals(ip.get(), ASN1OctetString.getInstance(n.getName()).getOctets())) {
                return true;
            }
            if (ip.isEmpty() && n.getTagNo() == GeneralName.dNSName
                    && normalise(((ASN1String) n.getName()).getString()).equals(dns) && !dns.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private static List<GeneralName> sans(X509CertificateHolder c) {
        GeneralNames names = GeneralNames.fromExtensions(c.getExtensions(), Extension.subjectAlternativeName);
        return names == null ? List.of() : List.of(names.getNames());
    }

    private static String altNames(X509CertificateHolder c) {
        List<String> out = new ArrayList<>();
        for (GeneralName n : sans(c)) {
            if (n.getTagNo() == GeneralName.iPAddress) {
                try {
                    out.add(InetAddress.getByAddress(ASN1OctetString.getInstance(n.getName()).getOctets()).getHostAddress());
                } catch (UnknownHostException e) {
                    out.add("bad address");
                }
            } else if (n.getTagNo() == GeneralName.dNSName) {
                out.add(((ASN1String) n.getName()).getString());
            }
        }
        return out.isEmpty() ? "none" : String.join(", ", out);
    }

    private static String normalise(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    /** The address of an IPv4 or IPv6 literal, never a DNS lookup. */
    static Optional<byte[]> ipLiteral(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            byte[] a = new byte[4];
            String[] parts = h.split("\\.");
            for (int i = 0; i < 4; i++) {
                int v = Integer.parseInt(parts[i]);
                if (v > 255) {
                    return Optional.of(new byte[0]);  // not an address, and no SAN entry is empty: never matches
                }
                a[i] = (byte) v;
            }
            return Optional.of(a);
        }
        if (h.indexOf(':') >= 0 && h.matches("[0-9A-Fa-f:.]+")) {
            try {
                return Optional.of(InetAddress.getByName(h).getAddress());  // a literal: parsed, not resolved
            } catch (UnknownHostException e) {
                return Optional.of(new byte[0]);
            }
        }
        return Optional.empty();
    }

    /**
     * The leaf's signature path, leaf first: each next certificate is the one (sent, or a root) whose
     * subject is the issuer's name and whose key verifies the signature; it ends at a root, or where
     * no issuer is found.
     */
    private static List<X509CertificateHolder> path(X509CertificateHolder leaf, List<X509CertificateHolder> others,
                                                    List<X509CertificateHolder> roots, SignatureCheck signatures) {
        List<X509CertificateHolder> path = new ArrayList<>(List.of(leaf));
        X509CertificateHolder current = leaf;
        for (int depth = 0; depth < MAX_DEPTH && !roots.contains(current); depth++) {
            X509CertificateHolder issuer = issuerOf(current, roots, signatures);
            if (issuer == null) {
                issuer = issuerOf(current, others, signatures);
            }
            if (issuer == null || path.contains(issuer)) {
                break;
            }
            path.add(issuer);
            current = issuer;
        }
        return path;
    }

    private static X509CertificateHolder issuerOf(X509CertificateHolder c, List<X509CertificateHolder> candidates,
                                                  SignatureCheck signatures) {
        for (X509CertificateHolder candidate : candidates) {
            if (!candidate.equals(c) && candidate.getSubject().equals(c.getIssuer()) && signatures.signedBy(c, candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * The gateway's certificate must come from a CA (RFC 5280 §4.2.1.9: cA=TRUE, and keyCertSign
     * when a key usage is present) all the way to a root: a trader's own certificate, which can sign
     * through his co-sign session, must never pass as the issuer of a "gateway" certificate.
     */
    private static void issuedByCas(String host, String role, List<X509CertificateHolder> path, List<X509CertificateHolder> roots) {
        for (int i = 1; i < path.size(); i++) {
            X509CertificateHolder issuer = path.get(i);
            BasicConstraints bc = BasicConstraints.fromExtensions(issuer.getExtensions());
            KeyUsage ku = KeyUsage.fromExtensions(issuer.getExtensions());
            if (bc == null || !bc.isCA() || ku != null && !ku.hasUsages(KeyUsage.keyCertSign)) {
                throw notGateway(host, "its " + role + " certificate is issued by " + issuer.getSubject() + ", which is not a CA");
            }
        }
        if (!roots.contains(path.get(path.size() - 1))) {
            throw notGateway(host, "its " + role + " certificate " + path.get(0).getSubject() + " has no path of CA certificates"
                    + " to a configured root");
        }
    }

    private boolean pinned(X509CertificateHolder c) {
        for (CertificatePin p : pins) {
            if (p.matches(c)) {
                return true;
            }
        }
        return false;
    }

    private static boolean signedBy(X509CertificateHolder c, X509CertificateHolder issuer) {
        if (!GMObjectIdentifiers.sm2sign_with_sm3.equals(c.getSignatureAlgorithm().getAlgorithm())) {
            return false;
        }
        try {
            byte[] tbs = c.toASN1Structure().getTBSCertificate().getEncoded();
            return Sm2Signer.verify(GmPem.publicKey(issuer), Sm2Signer.defaultId(), tbs, Sm2Signature.fromDer(c.getSignature()));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Whether a certificate verifies under an issuer's key. */
    @FunctionalInterface
    interface SignatureCheck {
        boolean signedBy(X509CertificateHolder c, X509CertificateHolder issuer);
    }

    @Override
    public String toString() {
        return "GatewayIdentity[" + (gatewayRole ? "gateway role and name" : "foreign server") + ", pins=" + pins.size() + "]";
    }
}
