package io.gmgate.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;

import io.gmgate.crypto.GmPem;
import io.gmgate.crypto.Sm2PrivateKey;
import io.gmgate.crypto.Sm2SignKey;
import io.gmgate.error.GmgateException;
import io.gmgate.sdk.SdkErrors;
import io.gmgate.tlcp.CertificatePin;
import io.gmgate.tlcp.CertificatePolicy;
import io.gmgate.tlcp.CipherSuite;
import io.gmgate.tlcp.EcdheEncoding;
import io.gmgate.tlcp.GatewayIdentity;
import io.gmgate.tlcp.PeerDialect;
import io.gmgate.tlcp.RevocationCheck;
import io.gmgate.tlcp.TlcpClientConfig;
import io.gmgate.tlcp.TlcpCredentials;
import io.gmgate.tlcp.X509CertificatePolicy;
import io.gmgate.tlcp.io.EngineSocket;
import io.gmgate.tlcp.io.TlcpSocket;
import io.gmgate.tlcp.tls13.Tls13ClientConfig;
import io.gmgate.tlcp.tls13.Tls13Credentials;
import io.gmgate.tlcp.tls13.Tls13Engine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gmgate probe HOST:PORT}: a handshake diagnostic in the manner of {@code openssl s_client} —
 * TLCP 1.1 (GB/T 38636-2020) or TLS 1.3 with TLS_SM4_GCM_SM3 (RFC 8998): protocol, suite, session
 * id, the server's clock, its certificates (subject, issuer, serial, validity, key usage) and the
 * time each phase took. A failure prints its code and cause, then the action.
 */
@Command(name = "probe", mixinStandardHelpOptions = true,
        description = "Handshake with a TLCP or TLS 1.3 server and print what it presented (like openssl s_client).")
final class ProbeCommand implements Callable<Integer> {

    enum Protocol { TLCP, TLS13 }

    /** How the client authenticates where the open TLCP stacks disagree (design §13, docs/tlcp-interop.md). */
    enum Dialect {
        /** GB/T 38636-2020's form, which Tongsuo and gmgate gateways read. */
        STANDARD(PeerDialect.STANDARD, EcdheEncoding.BARE),
        /** GmSSL 3.x's server: sign chain only in the ECC suites, CertificateVerify over the messages, ECDHE params length-prefixed. */
        GMSSL(PeerDialect.GMSSL, EcdheEncoding.LENGTH_PREFIXED);

        final PeerDialect peer;
        final EcdheEncoding ecdhe;

        Dialect(PeerDialect peer, EcdheEncoding ecdhe) {
            this.peer = peer;
            this.ecdhe = ecdhe;
        }
    }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", description = "HOST:PORT, e.g. 127.0.0.1:8090")
    String target;

    @Option(names = "--protocol", defaultValue = "TLCP", description = "tlcp or tls13 (default: ${DEFAULT-VALUE})")
    Protocol protocol;

    @Option(names = "--suite", description = "TLCP: offer only this suite (default: ECC_SM4_GCM_SM3, ECC_SM4_CBC_SM3)")
    CipherSuite suite;

    @Option(names = "--ca", description = "PEM roots to verify the server against (TLCP without it: the chain is shown, not trusted)")
    Path ca;

    @Option(names = "--cert", description = "client sign certificate PEM, then its CA chain (two-way)")
    Path cert;

    @Option(names = "--key", description = "client sign private key, PKCS#8 PEM (a whole key, e.g. a test token)")
    Path key;

    @Option(names = "--enc-cert", description = "TLCP: client encryption certificate PEM")
    Path encCert;

    @Option(names = "--enc-key", description = "TLCP: client encryption private key, PKCS#8 PEM: does the ECDHE suites' SM2 key"
            + " exchange (needs --enc-cert; without it only the ECC suites can authenticate)")
    Path encKey;

    @Option(names = "--dialect", defaultValue = "STANDARD", description = "TLCP client authentication form: standard (GB/T"
            + " 38636-2020, Tongsuo, gmgate) or gmssl (a GmSSL 3.x server; default: ${DEFAULT-VALUE})")
    Dialect dialect;

    @Option(names = "--servername", description = "TLS 1.3: the SNI name to send (never sent for an IP address)")
    String serverName;

    @Option(names = "--foreign", description = "the server is not a gmgate gateway (a GmSSL or Tongsuo server): check its chain"
            + " against --ca only, not the gateway role and the name dialled")
    boolean foreign;

    @Option(names = "--pin", description = "accept only a server whose certificates or CA match this pin"
            + " (spki-sm3:HEX or cert-sm3:HEX, as printed below each certificate); repeatable")
    List<String> pins = new ArrayList<>();

    @Option(names = "--timeout", defaultValue = "5000", description = "connect and read timeout in ms (default: ${DEFAULT-VALUE})")
    int timeoutMs;

    private PrintWriter out;

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int colon = target.lastIndexOf(':');
        int port;
        try {
            port = Integer.parseInt(target.substring(colon + 1));
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            port = -1;
        }
        if (colon <= 0 || port < 1 || port > 65_535) {
            err.println("gmgate: target must be HOST:PORT, got " + target);
            return 2;
        }
        String host = target.substring(0, colon);
        checkClientKeys();
        long t0 = System.nanoTime();
        try (Socket raw = new Socket()) {
            raw.connect(new InetSocketAddress(host, port), timeoutMs);
            raw.setSoTimeout(timeoutMs);
            long connected = System.nanoTime();
            out.printf("CONNECTED %s (%s) in %.1f ms%n", target, raw.getInetAddress().getHostAddress(), ms(connected - t0));
            List<X509CertificateHolder> chain = protocol == Protocol.TLS13 ? tls13(raw, host, connected) : tlcp(raw, host, connected);
            printChain(chain);
            out.println(ca == null ? "verify    chain shown, not verified (give --ca)" : "verify    OK against " + ca
                    + (foreign ? " (foreign server: gateway role and name not checked)" : ", a gmgate gateway for " + host)
                    + (pins.isEmpty() ? "" : ", pinned"));
            out.printf("total     %.1f ms%n", ms(System.nanoTime() - t0));
            out.flush();
            return 0;
        } catch (GmgateException e) {
            out.flush();
            return TerminalWiring.report(err, e);
        } catch (IOException e) {
            out.flush();
            return TerminalWiring.report(err, new io.gmgate.sdk.SdkException(SdkErrors.UNREACHABLE, target + ": "
                    + e.getMessage(), e));
        }
    }

    /** Strict unless --foreign: the gateway role and the name dialled, as terminals check (design §4 step 5). */
    private GatewayIdentity identity() {
        List<CertificatePin> parsed = new ArrayList<>();
        for (String p : pins) {
            try {
                parsed.add(CertificatePin.parse(p));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--pin: " + e.getMessage());
            }
        }
        return (foreign ? GatewayIdentity.foreign() : GatewayIdentity.strict()).pinned(parsed);
    }

    private List<X509CertificateHolder> tlcp(Socket raw, String host, long connected) throws IOException {
        if (ca == null && !pins.isEmpty()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--pin needs --ca: pins are checked after the chain");
        }
        CertificatePolicy policy = ca != null
                ? identity().after(new X509CertificatePolicy(TerminalWiring.roots(ca), RevocationCheck.NONE, true), host,
                        TerminalWiring.roots(ca))
                : (sign, enc, others, now) -> { };
        Optional<TlcpCredentials> creds = tlcpCredentials();
        boolean ecdheKey = creds.flatMap(TlcpCredentials::encKey).isPresent();
        List<CipherSuite> suites = suite != null ? List.of(suite) : ecdheKey
                ? List.of(CipherSuite.ECC_SM4_GCM_SM3, CipherSuite.ECC_SM4_CBC_SM3, CipherSuite.ECDHE_SM4_GCM_SM3, CipherSuite.ECDHE_SM4_CBC_SM3)
                : List.of(CipherSuite.ECC_SM4_GCM_SM3, CipherSuite.ECC_SM4_CBC_SM3);
        TlcpSocket s = TlcpSocket.client(raw, new TlcpClientConfig(suites, creds, policy, Optional.empty(), dialect.ecdhe,
                Clock.systemUTC(), new SecureRandom(), dialect.peer)).handshake();
        long done = System.nanoTime();
        out.printf("protocol  TLCP 1.1 (0x0101)%nsuite     %s%nhandshake %.1f ms%s%n", s.engine().suite(), ms(done - connected),
                s.engine().resumed() ? " (resumed)" : "");
        out.println("session   " + s.engine().session().map(x -> x.idHex()).orElse("-"));
        out.println("client    " + (creds.isPresent() ? "certificate sent (two-way, " + dialect.name().toLowerCase(java.util.Locale.ROOT)
                + " dialect" + (ecdheKey ? ", encryption key for ECDHE" : "") + ")" : "no certificate (one-way)"));
        s.engine().serverHelloTime().ifPresent(this::printServerTime);
        List<X509CertificateHolder> chain = s.engine().peerCertificates();
        s.close();
        return chain;
    }

    private List<X509CertificateHolder> tls13(Socket raw, String host, long connected) throws IOException {
        if (ca == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "a TLS 1.3 probe needs --ca: the engine verifies the server's chain during the handshake");
        }
        Tls13Credentials creds = null;
        if (cert != null && key != null) {
            creds = new Tls13Credentials(GmPem.certificatesFromPem(Files.readString(cert)), Sm2SignKey.of(privateKey()));
        }
        // the name checked is the one dialled; SNI carries --servername when given (a foreign server's virtual host)
        Tls13ClientConfig config = foreign && pins.isEmpty()
                ? new Tls13ClientConfig(TerminalWiring.roots(ca), creds, serverName, Clock.systemUTC(), new SecureRandom())
                : new Tls13ClientConfig(TerminalWiring.roots(ca), creds, serverName != null ? serverName : host, Clock.systemUTC(),
                        new SecureRandom(), identity());
        Tls13Engine engine = Tls13Engine.client("probe→" + target, config);
        EngineSocket<Tls13Engine> s = EngineSocket.over(raw, engine).handshake();
        long done = System.nanoTime();
        awaitTls13Verdict(s);
        out.printf("protocol  TLS 1.3 (0x0304)%nsuite     TLS_SM4_GCM_SM3 (0x00C6), key share curveSM2 (RFC 8998)%n"
                + "handshake %.1f ms%n", ms(done - connected));
        out.println("session   - (TLS 1.3 resumes by ticket, not by session id)");
        out.println("client    " + (creds != null ? "certificate offered if asked" : "no certificate"));
        List<X509CertificateHolder> chain = engine.peerCertificates();
        s.close();
        return chain;
    }

    /**
     * A TLS 1.3 client is done once it sent its Finished, before the server has judged its certificate
     * (RFC 8446 §4.4.2.4: an absent or refused one is answered with an alert afterwards). So the probe
     * listens briefly: an alert is the server's verdict (thrown by the engine); tickets and silence
     * mean the session is up.
     */
    private void awaitTls13Verdict(EngineSocket<Tls13Engine> s) throws IOException {
        s.socket().setSoTimeout(Math.min(timeoutMs, 700));
        try {
            if (s.getInputStream().read(new byte[1]) < 0) {
                throw new IOException("the server closed the connection right after the TLS 1.3 handshake"
                        + " (it may require a client certificate)");
            }
        } catch (java.net.SocketTimeoutException quiet) {
            // no verdict within the wait: the server kept the session
        } finally {
            s.socket().setSoTimeout(timeoutMs);
        }
    }

    /** Before dialling: the ECDHE suites and --enc-key need the whole client identity. */
    private void checkClientKeys() {
        if (encKey != null && (encCert == null || cert == null || key == null)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--enc-key needs --enc-cert, --cert and --key");
        }
        if (suite != null && suite.ecdhe && encKey == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--suite " + suite + " needs --cert, --key, --enc-cert"
                    + " and --enc-key: an ECDHE server always asks for the client's certificates, and the client's encryption key"
                    + " does the SM2 key exchange");
        }
    }

    /** The client's TLCP credentials: none, sign (co-signed style, ECC suites only), or sign + encryption key (ECDHE too). */
    private Optional<TlcpCredentials> tlcpCredentials() throws IOException {
        if (cert == null || key == null) {
            return Optional.empty();
        }
        List<X509CertificateHolder> mine = GmPem.certificatesFromPem(Files.readString(cert));
        Optional<X509CertificateHolder> enc = encCert == null ? Optional.empty()
                : Optional.of(GmPem.certificatesFromPem(Files.readString(encCert)).get(0));
        if (encKey == null) {
            return Optional.of(TlcpCredentials.signOnly(mine.get(0), Sm2SignKey.of(privateKey()), enc, mine.subList(1, mine.size())));
        }
        Sm2PrivateKey encPrivate = GmPem.privateKeyFromPem(Files.readString(encKey));
        return Optional.of(new TlcpCredentials(mine.get(0), enc, mine.subList(1, mine.size()), Sm2SignKey.of(privateKey()),
                Optional.of(io.gmgate.tlcp.Sm2Decryptor.of(encPrivate)), Optional.of(io.gmgate.tlcp.Sm2KeyAgreement.of(encPrivate))));
    }

    private Sm2PrivateKey privateKey() throws IOException {
        return GmPem.privateKeyFromPem(Files.readString(key));
    }

    /** TLCP's ServerHello carries the server's gmt_unix_time (GB/T 38636-2020 §6.4.5.2.2): a free clock check. */
    private void printServerTime(Instant t) {
        long skew = Duration.between(t, Instant.now()).toSeconds();
        out.println("server    clock " + t + " (" + (Math.abs(skew) <= 1 ? "in step with ours" : skew + " s behind ours") + ")");
    }

    private void printChain(List<X509CertificateHolder> chain) {
        int i = 0;
        for (X509CertificateHolder c : chain) {
            out.printf("cert %d    %s%n          issuer %s%n          serial %s, valid %s .. %s%n          usage %s%n", i++,
                    c.getSubject(), c.getIssuer(), c.getSerialNumber().toString(16), c.getNotBefore().toInstant(),
                    c.getNotAfter().toInstant(), usage(c));
            out.printf("          role %s%n          pin %s%n          pin %s%n", role(c), CertificatePin.spkiOf(c), CertificatePin.certificateOf(c));
        }
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    static String role(X509CertificateHolder c) {
        org.bouncycastle.asn1.x509.ExtendedKeyUsage eku = org.bouncycastle.asn1.x509.ExtendedKeyUsage.fromExtensions(c.getExtensions());
        if (eku == null) {
            return "-";
        }
        List<String> on = new ArrayList<>();
        if (eku.hasKeyPurposeId(org.bouncycastle.asn1.x509.KeyPurposeId.id_kp_serverAuth)) {
            on.add("serverAuth (gateway)");
        }
        if (eku.hasKeyPurposeId(org.bouncycastle.asn1.x509.KeyPurposeId.id_kp_clientAuth)) {
            on.add("clientAuth (terminal)");
        }
        return on.isEmpty() ? "other" : String.join(",", on);
    }

    static String usage(X509CertificateHolder c) {
        KeyUsage ku = KeyUsage.fromExtensions(c.getExtensions());
        if (ku == null) {
            return "-";
        }
        String[] names = {"digitalSignature", "nonRepudiation", "keyEncipherment", "dataEncipherment", "keyAgreement", "keyCertSign",
            "cRLSign"};
        int[] bits = {KeyUsage.digitalSignature, KeyUsage.nonRepudiation, KeyUsage.keyEncipherment, KeyUsage.dataEncipherment,
            KeyUsage.keyAgreement, KeyUsage.keyCertSign, KeyUsage.cRLSign};
        List<String> on = new ArrayList<>();
        for (int i = 0; i < bits.length; i++) {
            if (ku.hasUsages(bits[i])) {
                on.add(names[i]);
            }
        }
        return String.join(",", on);
    }
}
