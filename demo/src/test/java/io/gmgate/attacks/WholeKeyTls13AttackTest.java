package io.gmgate.attacks;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.gmgate.ca.IssuedCertificates;
import io.gmgate.crypto.Sm2PrivateKey;
import io.gmgate.crypto.Sm2SignKey;
import io.gmgate.sdk.GmgateClient;
import io.gmgate.tlcp.io.EngineSocket;
import io.gmgate.tlcp.tls13.Tls13ClientConfig;
import io.gmgate.tlcp.tls13.Tls13Credentials;
import io.gmgate.tlcp.tls13.Tls13Engine;

/**
 * docs/security.md, "Certificate paths and the certificate gate", end to end: a certificate of a whole key with no key record — the site's own CA
 * issued it, but no cosign enrolment stands behind it, and this site does not accept whole keys
 * (gateway.tlcp.acceptExternalWholeKeys: false) — presented over TLS 1.3 on the trading port. TLS
 * 1.3 used to skip the certificate gate; now it meets the same validator and gate as TLCP and is
 * refused with CERT-127, the front hears nothing, and a legitimate trader still trades.
 */
class WholeKeyTls13AttackTest {

    private static final String TRADER = "8200201";
    private static final String ROGUE = "8200202";

    private static CertificateAttackSite site;
    private static GmgateClient trader;

    @BeforeAll
    static void start() throws Exception {
        site = new CertificateAttackSite();
        trader = site.enrolled(TRADER);
    }

    @AfterAll
    static void stop() throws Exception {
        site.close();
    }

    @Test
    void aWholeKeyCertificateWithoutKeyRecordIsRefusedOverTls13() throws Exception {
        Sm2PrivateKey sign = Sm2PrivateKey.generate();
        IssuedCertificates whole = site.site.ca().issueGateway("rogue", new X500Name("CN=" + ROGUE + ",O=Demo Futures,C=CN"),
                sign.publicKey(), Sm2PrivateKey.generate().publicKey(), List.of(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
        List<X509CertificateHolder> chain = new ArrayList<>();
        chain.add(whole.sign());
        chain.addAll(whole.chain());
        Tls13ClientConfig cfg = new Tls13ClientConfig(List.of(site.site.root()), new Tls13Credentials(chain, Sm2SignKey.of(sign)),
                null, Clock.systemUTC(), new SecureRandom());

        double before = site.refusals("CERT-127");
        int headers = site.frontHeaders();
        assertThrows(Exception.class, () -> {
            Socket raw = new Socket();
            raw.connect(new InetSocketAddress("127.0.0.1", site.site.tradingPort()), 5_000);
            raw.setSoTimeout(10_000);
            try (EngineSocket<Tls13Engine> s = EngineSocket.over(raw, Tls13Engine.client("rogue", cfg)).handshake()) {
                // TLS 1.3: the client's flight ends the handshake on its side; the server's verdict follows
                s.getOutputStream().write(("LOGIN " + ROGUE + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                InputStream in = s.getInputStream();
                if (in.read() < 0) {
                    throw new java.io.EOFException("closed by the gateway");
                }
            }
        }, "the whole-key certificate was relayed to the front");
        site.awaitRefusal("CERT-127", before);
        assertFalse(site.frontToldAccount(headers, ROGUE), "the front was told the rogue account");
        site.legitimateTraderTrades(trader, TRADER);
    }
}
