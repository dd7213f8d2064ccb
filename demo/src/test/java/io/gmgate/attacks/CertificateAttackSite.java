package io.gmgate.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;

import io.gmgate.app.demo.DemoSite;
import io.gmgate.app.demo.FrontClient;
import io.gmgate.crypto.GmPem;
import io.gmgate.crypto.Sm2PublicKey;
import io.gmgate.proxy.ProxyV2Header;
import io.gmgate.policy.Endpoint;
import io.gmgate.sdk.GmgateClient;
import io.gmgate.tlcp.io.TlcpSocket;
import io.micrometer.core.instrument.Counter;

/**
 * The certificate attacks' site: a whole demo site in this JVM (gateway node, cosign node, embedded
 * CA, PostgreSQL, the stand-in front), enrolled traders, and what an attack test asserts — the
 * gateway's refusal code as its handshake counter records it, what the front was told, and that a
 * legitimate trader still trades afterwards.
 */
final class CertificateAttackSite implements AutoCloseable {

    static final char[] PIN = "135246".toCharArray();

    final DemoSite site;

    CertificateAttackSite() throws Exception {
        this.site = new DemoSite();
    }

    static char[] password(String account) {
        return ("Trader-Passw0rd-" + account).toCharArray();
    }

    GmgateClient terminal(String account) {
        return new GmgateClient(new GmgateClient.Options(List.of(new Endpoint("sh", "127.0.0.1", site.enrolmentPort())),
                List.of(new Endpoint("sh", "127.0.0.1", site.tradingPort())), List.of(site.root()),
                site.directory().resolve("attack-" + account), Duration.ofSeconds(2), Duration.ofSeconds(10), 10_000));
    }

    GmgateClient enrolled(String account) {
        site.addTrader(account, password(account));
        GmgateClient c = terminal(account);
        c.enroll(account, password(account), "desk", PIN);
        return c;
    }

    /** The CA certificates above a trader's sign certificate, as his terminal holds them. */
    static List<X509CertificateHolder> cas(GmgateClient terminal) {
        return terminal.store().require().signChain().stream().skip(1).map(GmPem::certificateFromDer).toList();
    }

    static X509CertificateHolder encCertificate(GmgateClient terminal) {
        return GmPem.certificateFromDer(terminal.store().require().encCertificate().orElseThrow());
    }

    /**
     * docs/security.md, "Certificate paths and the certificate gate": the TBS of a leaf for {@code subject} with {@code serial} and the attacker's
     * fresh whole {@code key}, "issued" by the attacker's own sign certificate — its signature
     * co-signed through his legitimate cosign session, as {@code gmgate client sign} would.
     */
    static X509CertificateHolder forgeLeaf(GmgateClient.Session attacker, X500Name subject, BigInteger serial, Sm2PublicKey key)
            throws Exception {
        Instant now = Instant.now();
        X509v3CertificateBuilder b = new X509v3CertificateBuilder(attacker.signCertificate().getSubject(), serial,
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(30))), subject, GmPem.toSpki(key));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation));
        ByteArrayOutputStream tbs = new ByteArrayOutputStream();
        return b.build(new ContentSigner() {
            @Override
            public AlgorithmIdentifier getAlgorithmIdentifier() {
                return new AlgorithmIdentifier(GMObjectIdentifiers.sm2sign_with_sm3);
            }

            @Override
            public OutputStream getOutputStream() {
                return tbs;
            }

            @Override
            public byte[] getSignature() {
                return attacker.sign(tbs.toByteArray()).toDer();
            }
        });
    }

    /** How many handshakes on the trading listener ended with {@code code} (the gateway's own counter). */
    double refusals(String code) {
        return site.node().metrics().find("gmgate.handshakes").tag("listener", "trading").tag("result", code).counters()
                .stream().mapToDouble(Counter::count).sum();
    }

    /** Waits, within a deadline, until the gateway has counted one more refusal with {@code code}. */
    void awaitRefusal(String code, double before) throws InterruptedException {
        await("a handshake refused with " + code, () -> refusals(code) > before, Duration.ofSeconds(10));
    }

    /** Whether any PROXY header since {@code from} told the front this account. */
    boolean frontToldAccount(int from, String account) {
        List<ProxyV2Header> headers = site.front().headers();
        return headers.subList(Math.min(from, headers.size()), headers.size()).stream()
                .anyMatch(h -> h.tlv(ProxyV2Header.TYPE_GMGATE_ACCOUNT).map(t -> t.text().equals(account)).orElse(false));
    }

    int frontHeaders() {
        return site.front().headers().size();
    }

    /** A legitimate trader logs in to the front through the same node and is told his own account. */
    void legitimateTraderTrades(GmgateClient trader, String account) throws Exception {
        try (GmgateClient.Session s = trader.login(password(account), PIN); TlcpSocket channel = s.connect()) {
            FrontClient front = new FrontClient(channel.getInputStream(), channel.getOutputStream());
            assertEquals("OK LOGIN " + account, front.ask("LOGIN " + account));
        }
    }

    static void await(String what, BooleanSupplier condition, Duration within) {
        SessionAttackKit.await(what, condition, within);
    }

    @Override
    public void close() throws Exception {
        site.close();
    }
}
