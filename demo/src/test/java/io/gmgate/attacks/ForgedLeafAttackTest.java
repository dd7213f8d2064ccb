package io.gmgate.attacks;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.gmgate.crypto.Sm2PrivateKey;
import io.gmgate.crypto.Sm2SignKey;
import io.gmgate.sdk.GmgateClient;
import io.gmgate.tlcp.CipherSuite;
import io.gmgate.tlcp.EcdheEncoding;
import io.gmgate.tlcp.RevocationCheck;
import io.gmgate.tlcp.TlcpClientConfig;
import io.gmgate.tlcp.TlcpCredentials;
import io.gmgate.tlcp.X509CertificatePolicy;
import io.gmgate.tlcp.io.TlcpSocket;

/**
 * docs/security.md, "Certificate paths and the certificate gate", end to end through a real gateway node: an enrolled trader co-signs (through
 * his own cosign session) the TBS of a leaf CN=&lt;victim&gt; that names his own sign certificate as
 * issuer, and presents [forged, own enc, own sign, CAs] on the trading port — with the victim's
 * serial, with his own serial, and with the victim's serial after his own certificate is revoked.
 * The gateway must refuse each with CERT-120 (a leaf is no CA: RFC 5280 §6.1.4 (k)), tell the front
 * nothing, and still serve the victim afterwards.
 */
class ForgedLeafAttackTest {

    private static final String ATTACKER = "8200101";
    private static final String VICTIM = "8200102";
    private static final String REVOKED_ATTACKER = "8200103";

    private static CertificateAttackSite site;
    private static GmgateClient attacker;
    private static GmgateClient victim;
    private static GmgateClient revokedAttacker;

    @BeforeAll
    static void start() throws Exception {
        site = new CertificateAttackSite();
        attacker = site.enrolled(ATTACKER);
        victim = site.enrolled(VICTIM);
        revokedAttacker = site.enrolled(REVOKED_ATTACKER);
    }

    @AfterAll
    static void stop() throws Exception {
        site.close();
    }

    private static X509CertificateHolder victimCertificate() {
        try (GmgateClient.Session s = victim.login(CertificateAttackSite.password(VICTIM), CertificateAttackSite.PIN)) {
            return s.signCertificate();
        }
    }

    /** The attacker's forged leaf with its whole key, and the chain his terminal sends with it. */
    private record Forgery(X509CertificateHolder leaf, Sm2PrivateKey key, X509CertificateHolder ownSign,
                           X509CertificateHolder ownEnc, List<X509CertificateHolder> cas) {
    }

    private static Forgery forge(GmgateClient terminal, String account, BigInteger serial) throws Exception {
        Sm2PrivateKey key = Sm2PrivateKey.generate();
        try (GmgateClient.Session s = terminal.login(CertificateAttackSite.password(account), CertificateAttackSite.PIN)) {
            X509CertificateHolder leaf = CertificateAttackSite.forgeLeaf(s, victimCertificate().getSubject(), serial,
                    key.publicKey());
            return new Forgery(leaf, key, s.signCertificate(), CertificateAttackSite.encCertificate(terminal),
                    CertificateAttackSite.cas(terminal));
        }
    }

    /** Presents [forged, own enc, own sign, CAs] on the trading port; the handshake must fail. */
    private static void present(Forgery f) {
        List<X509CertificateHolder> rest = new ArrayList<>();
        rest.add(f.ownSign());
        rest.addAll(f.cas());
        TlcpCredentials creds = TlcpCredentials.signOnly(f.leaf(), Sm2SignKey.of(f.key()), Optional.of(f.ownEnc()), rest);
        TlcpClientConfig cfg = new TlcpClientConfig(List.of(CipherSuite.ECC_SM4_GCM_SM3, CipherSuite.ECC_SM4_CBC_SM3),
                Optional.of(creds), new X509CertificatePolicy(List.of(site.site.root()), RevocationCheck.NONE, true),
                Optional.empty(), EcdheEncoding.BARE, Clock.systemUTC(), new SecureRandom());
        assertThrows(Exception.class, () -> {
            Socket raw = new Socket();
            raw.connect(new InetSocketAddress("127.0.0.1", site.site.tradingPort()), 5_000);
            raw.setSoTimeout(10_000);
            try (TlcpSocket s = TlcpSocket.client(raw, cfg).handshake()) {
                // the gateway relayed: the front would now be told the victim's account
                s.getOutputStream().write(("LOGIN " + VICTIM + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
            }
        }, "the forged chain completed a handshake");
    }

    private static void refusedWithCert120(Forgery f) throws Exception {
        double before = site.refusals("CERT-120");
        int headers = site.frontHeaders();
        present(f);
        site.awaitRefusal("CERT-120", before);
        assertFalse(site.frontToldAccount(headers, VICTIM), "the front was told the victim's account");
        site.legitimateTraderTrades(victim, VICTIM);
    }

    @Test
    void aForgedLeafWithTheVictimsSerialIsRefused() throws Exception {
        refusedWithCert120(forge(attacker, ATTACKER, victimCertificate().getSerialNumber()));
    }

    @Test
    void aForgedLeafWithTheAttackersOwnSerialIsRefused() throws Exception {
        refusedWithCert120(forge(attacker, ATTACKER, attackerSerial()));
    }

    private static BigInteger attackerSerial() {
        try (GmgateClient.Session s = attacker.login(CertificateAttackSite.password(ATTACKER), CertificateAttackSite.PIN)) {
            return s.signCertificate().getSerialNumber();
        }
    }

    @Test
    void aForgedLeafWithTheVictimsSerialIsStillRefusedAfterTheAttackersCertificateIsRevoked() throws Exception {
        Forgery f = forge(revokedAttacker, REVOKED_ATTACKER, victimCertificate().getSerialNumber());
        try (GmgateClient.Session s = revokedAttacker.login(CertificateAttackSite.password(REVOKED_ATTACKER),
                CertificateAttackSite.PIN)) {
            s.revoke(CertificateAttackSite.password(REVOKED_ATTACKER), true, Optional.empty(), Optional.of("keyCompromise"));
        }
        refusedWithCert120(f);
    }
}
