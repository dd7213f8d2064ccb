package io.gmgate.tlcp.path;

import static io.gmgate.tlcp.path.CorpusCerts.NOW;
import static io.gmgate.tlcp.path.CorpusCerts.ca;
import static io.gmgate.tlcp.path.CorpusCerts.cert;
import static io.gmgate.tlcp.path.CorpusCerts.crl;
import static io.gmgate.tlcp.path.CorpusCerts.enc;
import static io.gmgate.tlcp.path.CorpusCerts.root;
import static io.gmgate.tlcp.path.CorpusCerts.sign;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.gmgate.crypto.Sm2PrivateKey;
import io.gmgate.tlcp.CertificatePathValidator;
import io.gmgate.tlcp.CrlIssuerStatus;
import io.gmgate.tlcp.IssuerStatus;
import io.gmgate.tlcp.RevocationCheck;
import io.gmgate.tlcp.TlcpException;
import io.gmgate.tlcp.X509CertificatePolicy;
import io.gmgate.tlcp.path.CorpusCerts.Cred;

/**
 * The certification-path corpus, in the spirit of x509-limbo: each row a chain as a peer would send
 * it (sign certificate, optional encryption certificate, the rest) and the exact outcome — ACCEPT or
 * the code of the rule that must refuse it. One validator and one policy serve TLCP and TLS 1.3, so
 * the corpus covers both. Chains are SM2-with-SM3 (default ID), checked at a fixed instant.
 */
class CertificatePathCorpusTest {

    private static final String ACCEPT = "ACCEPT";

    // the site's PKI: root R, intermediates I1 (no pathLen) and I2 under I1, issuing CA P0 with pathLen 0
    private static final Cred R = root("corpus root");
    private static final Cred I1 = ca("corpus intermediate 1", R);
    private static final Cred I2 = ca("corpus intermediate 2", I1);
    private static final Cred P0 = cert("corpus issuing CA pathLen 0").ca(0).issue(R);
    private static final Cred P1 = cert("corpus CA pathLen 1").ca(1).issue(R);
    // a trader's genuine double certificate under R
    private static final Cred TRADER = sign("8001001", R);
    private static final Cred TRADER_ENC = enc("8001001", R);
    // another PKI nobody configured
    private static final Cred OTHER = root("other root");

    /** One corpus row: what the peer sends, and what this side configured. */
    record Chain(X509CertificateHolder sign, Optional<X509CertificateHolder> enc, List<X509CertificateHolder> others,
                 List<X509CertificateHolder> anchors, List<X509CertificateHolder> intermediates, List<X509CRLHolder> crls,
                 boolean requireEnc) {

        static Chain of(Cred sign, Cred enc, Cred... others) {
            return new Chain(sign.cert(), Optional.ofNullable(enc).map(Cred::cert),
                    Stream.of(others).map(Cred::cert).toList(), List.of(R.cert()), List.of(), List.of(), false);
        }

        Chain anchors(Cred... anchors) {
            return new Chain(sign, enc, others, Stream.of(anchors).map(Cred::cert).toList(), intermediates, crls, requireEnc);
        }

        Chain intermediates(Cred... configured) {
            return new Chain(sign, enc, others, anchors, Stream.of(configured).map(Cred::cert).toList(), crls, requireEnc);
        }

        Chain crls(X509CRLHolder... lists) {
            return new Chain(sign, enc, others, anchors, intermediates, List.of(lists), requireEnc);
        }

        Chain ecdhe() {
            return new Chain(sign, enc, others, anchors, intermediates, crls, true);
        }

        void check() {
            IssuerStatus status = crls.isEmpty() ? IssuerStatus.NONE : new CrlIssuerStatus(() -> crls);
            new X509CertificatePolicy(new CertificatePathValidator(anchors, intermediates, status), RevocationCheck.NONE,
                    requireEnc).check(sign, enc, others, NOW);
        }
    }

    static Stream<Arguments> corpus() {
        Cred leaf1 = sign("depth1", R);
        Cred leaf2 = sign("depth2", I1);
        Cred leaf3 = sign("depth3", I2);
        Cred forgedVictim = sign("8009999", TRADER);               // CN=<victim> co-signed with a trader's own key
        Cred noBc = cert("no basicConstraints CA").usage(CorpusCerts.CA_USAGE).issue(R);
        Cred caFalse = cert("cA false CA").basicConstraints(false).usage(CorpusCerts.CA_USAGE).issue(R);
        Cred noCertSign = cert("CA without keyCertSign").ca(null).usage(KeyUsage.cRLSign | KeyUsage.digitalSignature).issue(R);
        Cred noKu = cert("CA without keyUsage").ca(null).usage(null).issue(R);
        Cred underP0 = ca("CA under pathLen 0", P0);
        Cred underP1 = ca("CA under pathLen 1", P1);
        Cred underUnderP1 = ca("CA two under pathLen 1", underP1);
        Cred rootP0 = cert("corpus root pathLen 0").ca(0).issue(null);
        Cred underRootP0 = ca("CA under root pathLen 0", rootP0);
        Cred expiredCa = cert("expired CA").ca(null).validity(NOW.minus(Duration.ofDays(400)), NOW.minus(Duration.ofDays(1))).issue(R);
        Cred futureCa = cert("future CA").ca(null).validity(NOW.plus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(400))).issue(R);
        Cred expiredRoot = cert("expired root").ca(null).validity(NOW.minus(Duration.ofDays(400)), NOW.minus(Duration.ofDays(1))).issue(null);
        Cred criticalCa = cert("CA with unknown critical extension").ca(null).unknownCriticalExtension().issue(R);
        Cred fakeRoot = cert("corpus root").ca(null).issue(null);   // R's name, another key
        Cred deep = R;
        List<Cred> ladder = new java.util.ArrayList<>();
        for (int i = 0; i < 9; i++) {
            deep = ca("ladder " + i, deep);
            ladder.add(0, deep);
        }
        Sm2PrivateKey stranger = Sm2PrivateKey.generate();

        return Stream.of(
            row("valid double certificate, depth 1", ACCEPT, Chain.of(leaf1, enc("depth1", R))),
            row("valid double certificate, depth 2", ACCEPT, Chain.of(leaf2, enc("depth2", I1), I1)),
            row("valid double certificate, depth 3", ACCEPT, Chain.of(leaf3, enc("depth3", I2), I2, I1)),
            row("depth 3, CA certificates in reverse order", ACCEPT, Chain.of(leaf3, enc("depth3", I2), I1, I2)),
            row("depth 2 through a configured intermediate, not sent", ACCEPT, Chain.of(leaf2, null).intermediates(I1)),
            row("unrelated extra certificates are ignored", ACCEPT, Chain.of(leaf1, null, OTHER, I2, TRADER)),
            row("GmSSL sign-only chain", ACCEPT, Chain.of(sign("gmssl", I1), null, I1)),
            row("GmSSL sign-only chain, issued by a trader", "CERT-120", Chain.of(sign("gmssl forged", TRADER), null, TRADER)),
            row("leaf as issuer: CN=<victim> under the trader's sign certificate", "CERT-120",
                    Chain.of(forgedVictim, TRADER_ENC, TRADER)),
            row("leaf as issuer of the encryption half", "CERT-120",
                    Chain.of(TRADER, enc("8001001", TRADER), TRADER)),
            row("issuer without basicConstraints", "CERT-120", Chain.of(sign("under noBc", noBc), null, noBc)),
            row("issuer with cA=false", "CERT-120", Chain.of(sign("under caFalse", caFalse), null, caFalse)),
            row("issuer without keyCertSign", "CERT-121", Chain.of(sign("under noCertSign", noCertSign), null, noCertSign)),
            row("issuer without keyUsage", "CERT-121", Chain.of(sign("under noKu", noKu), null, noKu)),
            row("pathLen 0 issuing a leaf", ACCEPT, Chain.of(sign("under P0", P0), null, P0)),
            row("pathLen 0 exceeded by a CA below it", "CERT-122",
                    Chain.of(sign("under underP0", underP0), null, underP0, P0)),
            row("pathLen 1 with one CA below", ACCEPT, Chain.of(sign("under underP1", underP1), null, underP1, P1)),
            row("pathLen 1 exceeded by two CAs below", "CERT-122",
                    Chain.of(sign("under underUnderP1", underUnderP1), null, underUnderP1, underP1, P1)),
            row("trust anchor's own pathLen 0 exceeded", "CERT-122",
                    Chain.of(sign("under root P0", underRootP0), null, underRootP0).anchors(rootP0)),
            row("expired leaf", "CERT-101", Chain.of(cert("expired").validity(NOW.minus(Duration.ofDays(400)),
                    NOW.minus(Duration.ofSeconds(1))).issue(R), null)),
            row("not-yet-valid leaf", "CERT-101", Chain.of(cert("future").validity(NOW.plus(Duration.ofSeconds(1)),
                    NOW.plus(Duration.ofDays(400))).issue(R), null)),
            row("expired intermediate", "CERT-101", Chain.of(sign("under expired", expiredCa), null, expiredCa)),
            row("not-yet-valid intermediate", "CERT-101", Chain.of(sign("under future", futureCa), null, futureCa)),
            row("expired trust anchor", "CERT-101", Chain.of(sign("under expired root", expiredRoot), null).anchors(expiredRoot)),
            row("revoked intermediate (the root's CRL)", "CERT-126",
                    Chain.of(leaf2, null, I1).crls(crl(R, R.key(), I1.cert()))),
            row("intermediate on a CRL the root did not sign: ignored", ACCEPT,
                    Chain.of(leaf2, null, I1).crls(crl(R, stranger, I1.cert()))),
            row("unknown critical extension on the leaf", "CERT-123",
                    Chain.of(cert("critical leaf").unknownCriticalExtension().issue(R), null)),
            row("unknown critical extension on an intermediate", "CERT-123",
                    Chain.of(sign("under criticalCa", criticalCa), null, criticalCa)),
            row("unknown non-critical extension", ACCEPT, Chain.of(cert("noncritical leaf").unknownNonCriticalExtension().issue(R), null)),
            row("sign certificate with enc key usage only", "CERT-102",
                    Chain.of(cert("ku enc as sign").usage(KeyUsage.keyAgreement).issue(R), enc("ku", R))),
            row("sign certificate with nonRepudiation only", "CERT-102",
                    Chain.of(cert("ku nr").usage(KeyUsage.nonRepudiation).issue(R), null)),
            row("enc certificate with digitalSignature only", "CERT-102",
                    Chain.of(sign("ku sign", R), sign("ku sign", R))),
            row("enc certificate with dataEncipherment only", "CERT-102",
                    Chain.of(sign("ku de", R), cert("ku de").usage(KeyUsage.dataEncipherment).issue(R))),
            row("swapped sign/enc order", "CERT-125", Chain.of(TRADER_ENC, TRADER)),
            row("sign and enc from different issuers", "CERT-124", Chain.of(sign("split", R), enc("split", I1), I1)),
            row("ECDHE needs the encryption certificate", "CERT-104", Chain.of(leaf1, null).ecdhe()),
            row("self-signed leaf", "CERT-100", Chain.of(cert("self-signed").issue(null), null)),
            row("untrusted root", "CERT-100", Chain.of(sign("other", OTHER), null)),
            row("root sent by the peer but not configured", "CERT-100", Chain.of(sign("other", OTHER), null, OTHER)),
            row("a root with the anchor's name and another key, sent by the peer", "CERT-100",
                    Chain.of(sign("fake root", fakeRoot), null, fakeRoot)),
            row("name chaining mismatch (right key, wrong issuer name)", "CERT-100",
                    Chain.of(cert("misnamed").issuerName("CN=somebody else,O=gmgate corpus").signedWith(I1.key()).issue(I1), null, I1)),
            row("signature by the wrong key", "CERT-100", Chain.of(cert("wrong key").signedWith(stranger).issue(R), null)),
            row("intermediate signed by the wrong key", "CERT-100",
                    Chain.of(sign("under bad CA", cert("bad CA").ca(null).signedWith(stranger).issue(R)), null,
                            cert("bad CA").ca(null).signedWith(stranger).issue(R))),
            row("path deeper than " + 8 + " certificates", "CERT-100",
                    Chain.of(sign("deep", ladder.get(0)), null, ladder.toArray(Cred[]::new)))
        );
    }

    private static Arguments row(String name, String expected, Chain chain) {
        return Arguments.of(name, expected, chain);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("corpus")
    void eachChainHasItsOutcome(String name, String expected, Chain chain) {
        try {
            chain.check();
            if (!ACCEPT.equals(expected)) {
                fail(name + ": accepted, expected " + expected);
            }
        } catch (TlcpException e) {
            assertEquals(expected, e.errorCode().code(), name + ": " + e.getMessage());
        }
    }
}
