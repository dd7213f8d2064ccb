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
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;

import io.gmgate.crypto.GmPem;
import io.gmgate.crypto.Sm2Signature;
import io.gmgate.crypto.Sm2Signer;

/**
 * What a terminal requires of the server it dialled, on top of the chain check (design §4 step 5):
 * the gateway role, id-kp-serverAuth in the extended key usage, which the CA never gives a trader;
 * the dialled host in the subjectAltName (RFC 6125 §6.4: a DNS-ID for a name, an IP-ID for an
 * address, exact, no wildcard, no fallback to the CN); both on the sign and on the encryption
 * certificate. With pins configured, each of the two must also have a pinned certificate (itself or
 * a CA above it) on its signature path, and anything else is refused.
 *
 * <p>{@link #foreign} drops the role and name (not the pins) for talking to servers that are not
 * gmgate gateways, such as a GmSSL or Tongsuo test server; terminals never use it.
 */
public final class GatewayIdentity {

    private static final int MAX_DEPTH = 8;

    private final boolean gatewayRole;
    private final List<CertificatePin> pins;
    private final List<X509CertificateHolder> roots;

    private GatewayIdentity(boolean gatewayRole, List<CertificatePin> pins, List<X509CertificateHolder> roots) {
        this.gatewayRole = gatewayRole;
        this.pins = List.copyOf(pins);
        this.roots = List.copyOf(roots);
    }

    /** The terminals' default: the gateway role and the dialled name, no pins. */
    public static GatewayIdentity strict() {
        return new GatewayIdentity(true, List.of(), List.of());
    }

    /** No role or name required: a foreign TLCP/TLS server that the caller chose explicitly. */
    public static GatewayIdentity foreign() {
        return new GatewayIdentity(false, List.of(), List.of());
    }

    /**
     * The same check, and one of {@code pins} on each certificate's path; {@code roots} are the
     * trust roots the chain check uses (a pinned root need not be sent by the server).
     */
    public GatewayIdentity pinned(List<CertificatePin> pins, List<X509CertificateHolder> roots) {
        return new GatewayIdentity(gatewayRole, pins, roots);
    }

    public boolean requiresGatewayRole() {
        return gatewayRole;
    }

    public List<CertificatePin> pins() {
        return pins;
    }

    /** {@code chain} first (the root, validity, usages, revocation), then this check for {@code host}. */
    public CertificatePolicy after(CertificatePolicy chain, String host) {
        GatewayIdentity self = this;
        return new CertificatePolicy() {
            @Override
            public void check(X509CertificateHolder sign, Optional<X509CertificateHolder> enc,
                              List<X509CertificateHolder> others, Instant now) {
                chain.check(sign, enc, others, now);
                self.check(host, sign, enc, others);
            }

            @Override
            public List<org.bouncycastle.asn1.x500.X500Name> acceptedIssuers() {
                return chain.acceptedIssuers();
            }
        };
    }

    /** Throws CERT-140 (not the gateway for host) or CERT-141 (not pinned); the alert is bad_certificate. */
    public void check(String host, X509CertificateHolder sign, Optional<X509CertificateHolder> enc,
                      List<X509CertificateHolder> others) {
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
            if (!pins.isEmpty() && !pinnedPath(leaf, others)) {
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

    /** Walks the leaf's signature path through the sent certificates to a root; true when a pin meets it. */
    private boolean pinnedPath(X509CertificateHolder leaf, List<X509CertificateHolder> others) {
        X509CertificateHolder current = leaf;
        for (int depth = 0; depth < MAX_DEPTH && current != null; depth++) {
            if (pinned(current)) {
                return true;
            }
            X509CertificateHolder issuer = null;
            for (X509CertificateHolder candidate : concat(others, roots)) {
                if (!candidate.equals(current) && candidate.getSubject().equals(current.getIssuer()) && signedBy(current, candidate)) {
                    issuer = candidate;
                    break;
                }
            }
            current = issuer;
        }
        return false;
    }

    private boolean pinned(X509CertificateHolder c) {
        for (CertificatePin p : pins) {
            if (p.matches(c)) {
                return true;
            }
        }
        return false;
    }

    private static List<X509CertificateHolder> concat(List<X509CertificateHolder> a, List<X509CertificateHolder> b) {
        List<X509CertificateHolder> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static boolean signedBy(X509CertificateHolder c, X509CertificateHolder issuer) {
        if (!GMObjectIdentifiers.sm2sign_with_sm3.equals(c.getSignatureAlgorithm().getAlgorithm())) {
            return false;
        }
        try {
            byte[] tbs = c.toASN1Structure().getTBSCertificate().getEncoded();
            return Sm2Signer.verify(GmPem.publicKey(issuer), Sm2Signer.DEFAULT_ID, tbs, Sm2Signature.fromDer(c.getSignature()));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "GatewayIdentity[" + (gatewayRole ? "gateway role and name" : "foreign server") + ", pins=" + pins.size() + "]";
    }
}
