package io.gmgate.app;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;

import io.gmgate.crypto.GmPem;
import io.gmgate.crypto.Sm2PrivateKey;
import io.gmgate.error.GmgateException;
import io.gmgate.tlcp.CertificatePolicy;
import io.gmgate.tlcp.CipherSuite;
import io.gmgate.tlcp.EcdheEncoding;
import io.gmgate.tlcp.RevocationCheck;
import io.gmgate.tlcp.TlcpClientConfig;
import io.gmgate.tlcp.TlcpCredentials;
import io.gmgate.tlcp.X509CertificatePolicy;
import io.gmgate.tlcp.io.TlcpSocket;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gmgate probe HOST:PORT}: a TLCP handshake diagnostic in the manner of
 * {@code openssl s_client}: the protocol, suite, the server's certificates and the time each phase took.
 */
@Command(name = "probe", mixinStandardHelpOptions = true,
        description = "Handshake with a TLCP server and print what it presented (like openssl s_client).")
final class ProbeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", description = "HOST:PORT, e.g. 127.0.0.1:8090")
    String target;

    @Option(names = "--suite", description = "offer only this suite (default: ECC_SM4_GCM_SM3, ECC_SM4_CBC_SM3)")
    CipherSuite suite;

    @Option(names = "--ca", description = "PEM file of roots to verify the server against (without it the chain is shown, not trusted)")
    Path ca;

    @Option(names = "--cert", description = "client sign certificate PEM (two-way)")
    Path cert;

    @Option(names = "--key", description = "client sign private key, PKCS#8 PEM (whole key, e.g. a test token)")
    Path key;

    @Option(names = "--enc-cert", description = "client encryption certificate PEM")
    Path encCert;

    @Option(names = "--timeout", defaultValue = "5000", description = "connect and read timeout in ms (default: ${DEFAULT-VALUE})")
    int timeoutMs;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int colon = target.lastIndexOf(':');
        if (colon <= 0) {
            err.println("gmgate: target must be HOST:PORT, got " + target);
            return 2;
        }
        String host = target.substring(0, colon);
        int port = Integer.parseInt(target.substring(colon + 1));
        CertificatePolicy policy = ca != null
                ? new X509CertificatePolicy(GmPem.certificatesFromPem(Files.readString(ca)), RevocationCheck.NONE, true)
                : (sign, enc, others, now) -> { };
        Optional<TlcpCredentials> creds = Optional.empty();
        if (cert != null && key != null) {
            X509CertificateHolder c = GmPem.certificatesFromPem(Files.readString(cert)).get(0);
            Sm2PrivateKey k = GmPem.privateKeyFromPem(Files.readString(key));
            creds = Optional.of(TlcpCredentials.signOnly(c, io.gmgate.tlcp.tls13.Sm2SignKey.of(k),
                    encCert == null ? Optional.empty() : Optional.of(GmPem.certificatesFromPem(Files.readString(encCert)).get(0)),
                    List.of()));
        }
        List<CipherSuite> suites = suite != null ? List.of(suite) : List.of(CipherSuite.ECC_SM4_GCM_SM3, CipherSuite.ECC_SM4_CBC_SM3);
        TlcpClientConfig cfg = new TlcpClientConfig(suites, creds, policy, Optional.empty(), EcdheEncoding.BARE,
                Clock.systemUTC(), new SecureRandom());
        long t0 = System.nanoTime();
        try (Socket raw = new Socket()) {
            raw.connect(new InetSocketAddress(host, port), timeoutMs);
            raw.setSoTimeout(timeoutMs);
            long connected = System.nanoTime();
            TlcpSocket s = TlcpSocket.client(raw, cfg).handshake();
            long done = System.nanoTime();
            out.printf("CONNECTED %s:%d in %.1f ms%n", host, port, (connected - t0) / 1e6);
            out.printf("protocol  TLCP 1.1 (0x0101)%nsuite     %s%nhandshake %.1f ms%s%n", s.engine().suite(),
                    (done - connected) / 1e6, s.engine().resumed() ? " (resumed)" : "");
            s.engine().session().ifPresent(ss -> out.println("session   " + ss.idHex()));
            int i = 0;
            for (X509CertificateHolder c : s.engine().peerCertificates()) {
                out.printf("cert %d    %s%n          issuer %s%n          serial %s, valid %s .. %s, usage %s%n", i++, c.getSubject(),
                        c.getIssuer(), c.getSerialNumber().toString(16), c.getNotBefore().toInstant(), c.getNotAfter().toInstant(),
                        usage(c));
            }
            out.println(ca == null ? "verify    chain shown, not verified (give --ca)" : "verify    OK against " + ca);
            s.close();
            return 0;
        } catch (GmgateException e) {
            err.println("gmgate: " + e.getMessage());
            err.println("  action: " + e.errorCode().action());
            return 1;
        } catch (java.io.IOException e) {
            err.println("gmgate: " + io.gmgate.sdk.SdkErrors.UNREACHABLE.code() + " connection to " + target + " failed: " + e.getMessage());
            err.println("  action: " + io.gmgate.sdk.SdkErrors.UNREACHABLE.action());
            return 1;
        }
    }

    private static String usage(X509CertificateHolder c) {
        KeyUsage ku = KeyUsage.fromExtensions(c.getExtensions());
        if (ku == null) {
            return "-";
        }
        StringBuilder b = new StringBuilder();
        String[] names = {"digitalSignature", "nonRepudiation", "keyEncipherment", "dataEncipherment", "keyAgreement", "keyCertSign", "cRLSign"};
        int[] bits = {KeyUsage.digitalSignature, KeyUsage.nonRepudiation, KeyUsage.keyEncipherment, KeyUsage.dataEncipherment,
                KeyUsage.keyAgreement, KeyUsage.keyCertSign, KeyUsage.cRLSign};
        for (int i = 0; i < bits.length; i++) {
            if (ku.hasUsages(bits[i])) {
                b.append(b.length() == 0 ? "" : ",").append(names[i]);
            }
        }
        return b.toString();
    }
}
