package io.gmgate.tlcp;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.gmgate.error.GmgateException;
import io.gmgate.tlcp.interop.TestPki;
import io.gmgate.tlcp.tls13.Tls13ClientConfig;
import io.gmgate.tlcp.tls13.Tls13Credentials;
import io.gmgate.tlcp.tls13.Tls13Engine;
import io.gmgate.tlcp.tls13.Tls13ServerConfig;

/** The terminal's view of the gateway (design §4 step 5): role, dialled name (RFC 6125), pins. */
class GatewayIdentityTest {

    static final TestPki PKI = TestPki.create("identity");
    static final TestPki OTHER = TestPki.create("identity-other");
    static final List<X509CertificateHolder> ROOTS = List.of(PKI.rootCertificate(), OTHER.rootCertificate());
    static final TestPki.DoubleCert GATEWAY = PKI.issueGateway("gateway", List.of(
            new GeneralName(GeneralName.dNSName, "gw1.example-futures.cn"), new GeneralName(GeneralName.dNSName, "localhost"),
            new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.iPAddress, "::1")));
    static final TestPki.DoubleCert TRADER = PKI.issueDouble("gateway", KeyPurposeId.id_kp_clientAuth, List.of());
    static final TestPki.DoubleCert NO_ROLE = PKI.issueDouble("gateway");  // SAN localhost, 127.0.0.1, but no EKU
    static final TestPki.DoubleCert OTHER_HOST = PKI.issueGateway("gateway",
            List.of(new GeneralName(GeneralName.dNSName, "gw9.example-futures.cn")));

    static void check(GatewayIdentity id, String host, TestPki.DoubleCert d) {
        id.check(host, d.sign().certificate(), Optional.of(d.enc().certificate()), List.of(), ROOTS);
    }

    static String refusal(GatewayIdentity id, String host, TestPki.DoubleCert d) {
        return assertThrows(TlcpException.class, () -> check(id, host, d)).errorCode().code();
    }

    @ParameterizedTest(name = "{0} matches")
    @CsvSource({"gw1.example-futures.cn", "GW1.Example-Futures.CN", "gw1.example-futures.cn.", "localhost",
        "127.0.0.1", "::1", "[::1]", "0:0:0:0:0:0:0:1"})
    void theGatewayIsAcceptedForEachOfItsNames(String host) {
        assertDoesNotThrow(() -> check(GatewayIdentity.strict(), host, GATEWAY));
    }

    @ParameterizedTest(name = "{0} is refused")
    @CsvSource({"gw2.example-futures.cn", "example-futures.cn", "x.gw1.example-futures.cn", "127.0.0.2", "127.0.0.01x",
        "gateway", "::2", "999.0.0.1"})
    void anyOtherNameIsRefusedAndTheCnDoesNotCount(String host) {
        assertEquals("CERT-140", refusal(GatewayIdentity.strict(), host, GATEWAY));
    }

    @Test
    void anAddressNeverMatchesADnsNameNorTheReverse() {
        TestPki.DoubleCert dnsOnly = PKI.issueGateway("127.0.0.1", List.of(new GeneralName(GeneralName.dNSName, "127.0.0.1")));
        assertEquals("CERT-140", refusal(GatewayIdentity.strict(), "127.0.0.1", dnsOnly));
    }

    @Test
    void aTradersCertificateIsNotTheGatewayEvenForItsOwnName() {
        String message = assertThrows(TlcpException.class,
                () -> check(GatewayIdentity.strict(), "localhost", TRADER)).getMessage();
        assertTrue(message.contains("the server is not a gmgate gateway for localhost"), message);
        assertEquals("CERT-140", refusal(GatewayIdentity.strict(), "localhost", NO_ROLE));
    }

    @Test
    void theEncryptionCertificateMustCarryTheRoleToo() {
        GmgateException e = assertThrows(TlcpException.class, () -> GatewayIdentity.strict().check("localhost",
                GATEWAY.sign().certificate(), Optional.of(TRADER.enc().certificate()), List.of(), ROOTS));
        assertEquals("CERT-140", e.errorCode().code());
        assertTrue(e.getMessage().contains("encryption certificate"), e.getMessage());
    }

    @Test
    void aRealGatewayCertificateForAnotherHostIsRefused() {
        assertEquals("CERT-140", refusal(GatewayIdentity.strict(), "localhost", OTHER_HOST));
    }

    @Test
    void aGatewayCertificateIssuedByATradersCertificateIsRefused() throws Exception {
        // the trader signs a serverAuth leaf for localhost with his own (leaf) key: the path check would
        // have to accept a leaf as an issuer; we require CA certificates up to the root whatever it does
        X509CertificateHolder issuer = TRADER.sign().certificate();
        io.gmgate.crypto.Sm2PrivateKey forgedKey = io.gmgate.crypto.Sm2PrivateKey.generate();
        org.bouncycastle.cert.X509v3CertificateBuilder b = new org.bouncycastle.cert.X509v3CertificateBuilder(
                issuer.getSubject(), java.math.BigInteger.valueOf(77), new java.util.Date(System.currentTimeMillis() - 60_000),
                new java.util.Date(System.currentTimeMillis() + 86_400_000), new org.bouncycastle.asn1.x500.X500Name("CN=gateway"),
                io.gmgate.crypto.GmPem.toSpki(forgedKey.publicKey()));
        b.addExtension(org.bouncycastle.asn1.x509.Extension.extendedKeyUsage, false,
                new org.bouncycastle.asn1.x509.ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        b.addExtension(org.bouncycastle.asn1.x509.Extension.subjectAlternativeName, false,
                new org.bouncycastle.asn1.x509.GeneralNames(new GeneralName(GeneralName.dNSName, "localhost")));
        X509CertificateHolder forged = b.build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SM3WITHSM2")
                .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider()).build(TestPki.jcaKey(TRADER.sign().key())));
        TlcpException e = assertThrows(TlcpException.class, () -> GatewayIdentity.strict().check("localhost", forged,
                Optional.of(forged), List.of(issuer), ROOTS));
        assertEquals("CERT-140", e.errorCode().code());
        assertTrue(e.getMessage().contains("which is not a CA"), e.getMessage());
        TlcpException untrusted = assertThrows(TlcpException.class, () -> GatewayIdentity.strict().check("localhost",
                OTHER.issueGateway("gateway").sign().certificate(), Optional.empty(), List.of(), List.of(PKI.rootCertificate())));
        assertTrue(untrusted.getMessage().contains("no path of CA certificates"), untrusted.getMessage());
    }

    @Test
    void foreignServersSkipRoleAndNameOnlyWhenAskedTo() {
        assertDoesNotThrow(() -> check(GatewayIdentity.foreign(), "localhost", TRADER));
    }

    @Test
    void pinsOnTheLeafOrOnItsCaAcceptOnlyWhatTheyName() {
        GatewayIdentity leafPins = GatewayIdentity.strict().pinned(List.of(CertificatePin.spkiOf(GATEWAY.sign().certificate()),
                CertificatePin.certificateOf(GATEWAY.enc().certificate())));
        assertDoesNotThrow(() -> check(leafPins, "localhost", GATEWAY));
        TestPki.DoubleCert sibling = PKI.issueGateway("gateway");
        assertEquals("CERT-141", refusal(leafPins, "localhost", sibling));

        GatewayIdentity caPin = GatewayIdentity.strict().pinned(List.of(CertificatePin.spkiOf(PKI.rootCertificate())));
        assertDoesNotThrow(() -> check(caPin, "localhost", sibling));
        TestPki.DoubleCert elsewhere = OTHER.issueGateway("gateway");
        assertEquals("CERT-141", refusal(caPin, "localhost", elsewhere));
        // sending the pinned CA along does not help a leaf that another CA signed
        assertEquals("CERT-141", assertThrows(TlcpException.class, () -> caPin.check("localhost",
                elsewhere.sign().certificate(), Optional.of(elsewhere.enc().certificate()),
                List.of(PKI.rootCertificate()), ROOTS)).errorCode().code());
    }

    @Test
    void aChainCheckThatRemembersTheGatewayStillPinsAndNamesEveryTime() {
        // a terminal keeps one chain check for its life, and the identity check asks it about signatures
        X509CertificatePolicy chain = new X509CertificatePolicy(ROOTS, RevocationCheck.NONE, true);
        Optional<X509CertificateHolder> enc = Optional.of(GATEWAY.enc().certificate());
        java.time.Instant now = java.time.Instant.now();
        CertificatePolicy open = GatewayIdentity.strict().after(chain, "localhost", ROOTS);
        for (int connection = 0; connection < 2; connection++) {
            assertDoesNotThrow(() -> open.check(GATEWAY.sign().certificate(), enc, List.of(), now));
        }
        CertificatePolicy pinnedElsewhere = GatewayIdentity.strict().pinned(List.of(CertificatePin.spkiOf(OTHER.rootCertificate())))
                .after(chain, "localhost", ROOTS);
        assertEquals("CERT-141", assertThrows(TlcpException.class,
                () -> pinnedElsewhere.check(GATEWAY.sign().certificate(), enc, List.of(), now)).errorCode().code());
        CertificatePolicy otherName = GatewayIdentity.strict().after(chain, "gw2.example-futures.cn", ROOTS);
        assertEquals("CERT-140", assertThrows(TlcpException.class,
                () -> otherName.check(GATEWAY.sign().certificate(), enc, List.of(), now)).errorCode().code());
        CertificatePolicy rootPinned = GatewayIdentity.strict().pinned(List.of(CertificatePin.spkiOf(PKI.rootCertificate())))
                .after(chain, "localhost", ROOTS);
        assertDoesNotThrow(() -> rootPinned.check(GATEWAY.sign().certificate(), enc, List.of(), now));
    }

    @Test
    void pinsParseInBothForms() {
        CertificatePin p = CertificatePin.spkiOf(GATEWAY.sign().certificate());
        assertEquals(p, CertificatePin.parse(p.toString()));
        assertEquals(p, CertificatePin.parse(p.toString().toUpperCase()));
        assertThrows(IllegalArgumentException.class, () -> CertificatePin.parse("sha256:" + p.hex()));
        assertThrows(IllegalArgumentException.class, () -> CertificatePin.parse("spki-sm3:abcd"));
    }

    @Test
    void aTlcpClientRefusesATraderPosingAsTheGatewayWithTheCode() {
        TlcpServerConfig server = new TlcpServerConfig(List.of(CipherSuite.ECC_SM4_GCM_SM3), ClientAuth.NONE,
                TlcpCredentials.inMemory(TRADER.sign().certificate(), TRADER.sign().key(), TRADER.enc().certificate(),
                        TRADER.enc().key(), List.of()),
                new X509CertificatePolicy(List.of(PKI.rootCertificate()), RevocationCheck.NONE, false),
                new InMemorySessionCache(10, Duration.ofMinutes(5), Clock.systemUTC()), Clock.systemUTC(), new SecureRandom());
        CertificatePolicy chain = new X509CertificatePolicy(List.of(PKI.rootCertificate()), RevocationCheck.NONE, true);
        TlcpClientConfig client = TlcpClientConfig.of(Optional.empty(), chain, Clock.systemUTC(), new SecureRandom())
                .withSuites(List.of(CipherSuite.ECC_SM4_GCM_SM3))
                .withServerPolicy(GatewayIdentity.strict().after(chain, "localhost", List.of(PKI.rootCertificate())));
        TlcpEngine s = TlcpEngine.server("fake-gateway", server);
        TlcpEngine c = TlcpEngine.client("terminal", client);
        TlcpException e = assertThrows(TlcpException.class, () -> pumpTlcp(c, s));
        assertEquals("CERT-140", e.errorCode().code(), e.getMessage());
    }

    @Test
    void aTls13ClientRefusesATraderPosingAsTheGatewayWithTheCode() {
        TestPki.Credential trader = PKI.issueSign("gateway");
        Tls13Engine server = Tls13Engine.server("fake-gateway", new Tls13ServerConfig(
                new Tls13Credentials(List.of(trader.certificate()), io.gmgate.crypto.Sm2SignKey.of(trader.key())),
                List.of(PKI.rootCertificate()), Tls13ServerConfig.ClientAuth.NONE, Clock.systemUTC(), new SecureRandom()));
        Tls13Engine client = Tls13Engine.client("terminal", new Tls13ClientConfig(List.of(PKI.rootCertificate()), null,
                "localhost", Clock.systemUTC(), new SecureRandom(), GatewayIdentity.strict()));
        GmgateException e = assertThrows(GmgateException.class, () -> pumpTls13(client, server));
        assertEquals("CERT-140", e.errorCode().code(), e.getMessage());

        TestPki.Credential real = PKI.issueGatewaySign("gateway");
        Tls13Engine good = Tls13Engine.server("gateway", new Tls13ServerConfig(
                new Tls13Credentials(List.of(real.certificate()), io.gmgate.crypto.Sm2SignKey.of(real.key())),
                List.of(PKI.rootCertificate()), Tls13ServerConfig.ClientAuth.NONE, Clock.systemUTC(), new SecureRandom()));
        Tls13Engine terminal = Tls13Engine.client("terminal", new Tls13ClientConfig(List.of(PKI.rootCertificate()), null,
                "127.0.0.1", Clock.systemUTC(), new SecureRandom(), GatewayIdentity.strict()));
        pumpTls13(terminal, good);
        assertTrue(terminal.isHandshakeComplete());
    }

    static void pumpTlcp(TlcpEngine a, TlcpEngine b) {
        for (int round = 0; round < 50; round++) {
            byte[] ab = a.takeOutput();
            if (ab.length > 0) {
                b.feed(ab);
            }
            byte[] ba = b.takeOutput();
            if (ba.length > 0) {
                a.feed(ba);
            }
            if (ab.length == 0 && ba.length == 0) {
                return;
            }
        }
    }

    static void pumpTls13(Tls13Engine a, Tls13Engine b) {
        for (int round = 0; round < 50; round++) {
            byte[] ab = a.takeOutput();
            if (ab.length > 0) {
                b.feed(ab);
            }
            byte[] ba = b.takeOutput();
            if (ba.length > 0) {
                a.feed(ba);
            }
            if (ab.length == 0 && ba.length == 0) {
                return;
            }
        }
    }
}
