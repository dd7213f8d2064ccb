package io.gmgate.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.gmgate.ca.IssuedCertificates;
import io.gmgate.crypto.Sm2PrivateKey;
import io.gmgate.error.GmgateException;
import io.gmgate.sdk.GmgateClient;
import io.gmgate.tlcp.Sm2Decryptor;
import io.gmgate.tlcp.TlcpCredentials;
import io.gmgate.crypto.Sm2SignKey;

/**
 * docs/security.md, "Gateway identity as the terminal sees it" (c): a real gateway double certificate of the firm's CA, with its keys, but for
 * another host (a retired or test node whose keys leaked) answers where the terminal dialled
 * 127.0.0.1. The chain and the role are right; only the name says it is the wrong server.
 */
class GatewayCertificateForAnotherHostAttackTest {

    private static ImpostorSite site;

    @BeforeAll
    static void start() throws IOException {
        site = new ImpostorSite();
    }

    @AfterAll
    static void stop() throws Exception {
        site.close();
    }

    @Test
    void theTerminalRefusesAGatewayCertificateThatDoesNotNameTheHostItDialled() throws IOException {
        Sm2PrivateKey sign = Sm2PrivateKey.generate();
        Sm2PrivateKey enc = Sm2PrivateKey.generate();
        IssuedCertificates other = site.site.ca().issueGateway("gw-test", new X500Name("CN=gw-test,O=gmgate demo,C=CN"),
                sign.publicKey(), enc.publicKey(), List.of(new GeneralName(GeneralName.dNSName, "gw-test.demo-futures.cn"),
                        new GeneralName(GeneralName.iPAddress, "10.9.8.7")));
        TlcpCredentials leaked = new TlcpCredentials(other.sign(), Optional.of(other.enc()), site.caChain(), Sm2SignKey.of(sign),
                Optional.of(Sm2Decryptor.of(enc)), Optional.empty());
        try (FakeGatewayServer impostor = FakeGatewayServer.start(leaked, site.site.root())) {
            GmgateException e = assertThrows(GmgateException.class, () -> site.client(ImpostorSite.VICTIM, impostor.port())
                    .login(ImpostorSite.VICTIM_PASSWORD, ImpostorSite.PIN));
            assertEquals("CERT-140", e.errorCode().code(), e.getMessage());
            assertTrue(e.getMessage().contains("does not name 127.0.0.1"), e.getMessage());
            assertEquals(0, impostor.handshakes());
            assertFalse(impostor.received().contains(new String(ImpostorSite.VICTIM_PASSWORD)));
        }
        site.victimStillTrades();
    }

    @Test
    void withPinsOnlyThePinnedCertificatesOrCaAreTheGateway() throws IOException {
        io.gmgate.tlcp.CertificatePin issuingCa = io.gmgate.tlcp.CertificatePin.spkiOf(site.caChain().get(0));
        GmgateClient pinnedToCa = new GmgateClient(site.options(ImpostorSite.VICTIM, site.site.enrolmentPort())
                .withGatewayPins(List.of(issuingCa)));
        pinnedToCa.login(ImpostorSite.VICTIM_PASSWORD, ImpostorSite.PIN).close();

        IssuedCertificates sibling = site.site.ca().issueGateway("gw-2", new X500Name("CN=gw-2,O=gmgate demo,C=CN"),
                Sm2PrivateKey.generate().publicKey(), Sm2PrivateKey.generate().publicKey(),
                List.of(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
        GmgateClient pinnedToAnother = new GmgateClient(site.options(ImpostorSite.VICTIM, site.site.enrolmentPort())
                .withGatewayPins(List.of(io.gmgate.tlcp.CertificatePin.certificateOf(sibling.sign()))));
        GmgateException e = assertThrows(GmgateException.class,
                () -> pinnedToAnother.login(ImpostorSite.VICTIM_PASSWORD, ImpostorSite.PIN));
        assertEquals("CERT-141", e.errorCode().code(), e.getMessage());
    }
}
