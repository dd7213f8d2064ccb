package io.gmgate.ca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.crypto.GmPem;
import io.gmgate.crypto.Sm2PrivateKey;
import io.gmgate.crypto.Sm2SignKey;
import io.gmgate.crypto.card.SoftCipherCard;
import io.gmgate.testkit.PgSchema;

/** Roles in certificates (design §4 step 5): what a trader can and cannot get, what the gateway gets. */
class CertificateRolesTest {

    @RegisterExtension
    static final PgSchema PG = new PgSchema();

    @TempDir
    static Path dir;

    static SoftCipherCard card;
    static EmbeddedCa ca;

    @BeforeAll
    static void setUp() {
        CaSchema.migrate(PG.dataSource());
        card = TestCsrs.card(dir);
        ca = EmbeddedCa.init(EmbeddedCaConfig.defaults("Roles Futures"), card, new PgCaStore(PG.dataSource()), Clock.systemUTC());
    }

    @AfterAll
    static void tearDown() {
        card.close();
    }

    /** A trader's CSR that asks for everything a gateway (or a CA) has: serverAuth, a SAN, cA=TRUE, keyCertSign. */
    static byte[] greedyCsr(Sm2SignKey signer) {
        try {
            ExtensionsGenerator asked = new ExtensionsGenerator();
            asked.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                    new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            asked.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.dNSName, "gw1.roles-futures.cn"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
            asked.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            asked.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.digitalSignature));
            return new PKCS10CertificationRequestBuilder(new X500Name("CN=gateway"), GmPem.toSpki(signer.publicKey()))
                    .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, asked.generate())
                    .build(new Sm2ContentSigner(signer)).getEncoded();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aTraderGetsClientAuthOnlyWhateverTheRequestAsksFor() {
        Sm2SignKey signer = Sm2SignKey.of(Sm2PrivateKey.generate());
        IssuedCertificates issued = ca.issue(IssueRequest.of("mallory", "d1", greedyCsr(signer), null));
        for (X509CertificateHolder leaf : List.of(issued.sign(), issued.enc())) {
            ExtendedKeyUsage eku = ExtendedKeyUsage.fromExtensions(leaf.getExtensions());
            assertTrue(eku.hasKeyPurposeId(KeyPurposeId.id_kp_clientAuth));
            assertFalse(eku.hasKeyPurposeId(KeyPurposeId.id_kp_serverAuth), "a trader never gets the gateway role");
            assertEquals(1, eku.getUsages().length);
            assertNull(leaf.getExtension(Extension.subjectAlternativeName), "no SAN chosen by the requester");
            assertNull(leaf.getExtension(Extension.basicConstraints), "no CA flag, and no basicConstraints at all (GmSSL)");
            assertFalse(KeyUsage.fromExtensions(leaf.getExtensions()).hasUsages(KeyUsage.keyCertSign));
            assertEquals("CN=mallory,OU=Traders,O=Roles Futures,C=CN", leaf.getSubject().toString(), "subject from the template");
        }
    }

    @Test
    void bothGatewayCertificatesCarryTheServerRoleAndTheEndpointNames() {
        IssuedCertificates gw = ca.issueGateway("gw1", new X500Name("CN=gw1,O=Roles Futures,C=CN"),
                Sm2PrivateKey.generate().publicKey(), Sm2PrivateKey.generate().publicKey(),
                List.of(new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
        for (X509CertificateHolder leaf : List.of(gw.sign(), gw.enc())) {
            ExtendedKeyUsage eku = ExtendedKeyUsage.fromExtensions(leaf.getExtensions());
            assertTrue(eku.hasKeyPurposeId(KeyPurposeId.id_kp_serverAuth));
            assertFalse(eku.hasKeyPurposeId(KeyPurposeId.id_kp_clientAuth));
            GeneralName[] names = GeneralNames.fromExtensions(leaf.getExtensions(), Extension.subjectAlternativeName).getNames();
            assertEquals(2, names.length);
            assertEquals(GeneralName.dNSName, names[0].getTagNo());
            assertEquals(GeneralName.iPAddress, names[1].getTagNo());
            assertNull(leaf.getExtension(Extension.basicConstraints));
        }
        assertEquals(CertificateProfile.GATEWAY_SIGN.name(), ca.issued(gw.signSerial()).orElseThrow().kind());
    }

    @Test
    void aGatewayCertificateWithoutANameIsRefused() {
        CaException e = assertThrows(CaException.class, () -> ca.issueGateway("gw2", new X500Name("CN=gw2"),
                Sm2PrivateKey.generate().publicKey(), Sm2PrivateKey.generate().publicKey(), List.of()));
        assertEquals(CaErrors.REQUEST_REJECTED, e.errorCode());
    }

    @Test
    void cmpCannotAskForAGatewayProfile() {
        assertThrows(IllegalArgumentException.class, () -> new EmbeddedCa.SingleRequest("r", "a",
                CertificateProfile.GATEWAY_SIGN, new X500Name("CN=x"), Sm2PrivateKey.generate().publicKey(), null, null));
    }
}
