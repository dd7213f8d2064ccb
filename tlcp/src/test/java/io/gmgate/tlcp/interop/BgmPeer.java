package io.gmgate.tlcp.interop;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.cert.X509CertificateHolder;

import io.gmgate.tlcp.interop.TestPki.DoubleCert;

/**
 * openEuler BGMProvider 1.1.4 as a TLCP peer for interop tests (test scope only: GPLv2+CE, never
 * shipped). A {@link Server} listens on 127.0.0.1:0 and echoes every byte; {@link #echo} connects as
 * a client and does one echo round trip.
 *
 * <p>Facts about BGMProvider 1.1.4 on JDK 17, found by running it here (see BgmSelfTest):
 * <ul>
 *   <li>It needs to be installed as a JCA provider ({@code Security.insertProviderAt(.., 1)}): its
 *       JSSE code looks up SM2/SM3/SM4 and the "EC" key factory through the global provider list,
 *       not through its own instance. Our code always names BouncyCastle explicitly, so it is not
 *       affected; the JDK's own TLS in the same JVM is.</li>
 *   <li>The JVM needs the --add-exports/--add-opens list in tlcp/pom.xml (surefire.extraArgLine).</li>
 *   <li>TLCP is {@code SSLContext.getInstance("GMTLS")} with protocol "GMTLS" (0x0101); the double
 *       certificate is two key entries in one key store, told apart by key usage (digitalSignature
 *       vs keyEncipherment), each with its chain.</li>
 *   <li>Suites: see {@link #SUITES}.</li>
 *   <li>With client authentication, the BGM client sends its sign certificate, its encryption
 *       certificate, then the rest of the chain (here the root): sign + enc, like Tongsuo.</li>
 *   <li>{@code getPeerCertificates()} on a BGM client shows the server's encryption certificate and
 *       the root, not the sign certificate, although the wire carries sign, enc, root: do not read
 *       the server's identity from it.</li>
 *   <li>Wire forms (BgmWireFactsTest): record version 0x0101 throughout; the ClientHello carries
 *       only supported_groups [0x00F9] and renegotiation_info; the SM2 curve is named 0x00F9 (249)
 *       in ECDHE, not RFC 8998's curveSM2 (41); the ECDHE ClientKeyExchange has no outer 2-byte
 *       length (Tongsuo's form, design §13); the ECC one is a 2-byte length and a DER GM/T 0009
 *       ciphertext; signatures are a 2-byte length and DER; CertificateRequest lists types
 *       64, 1, 2 and the CA names, without signature algorithms.</li>
 * </ul>
 */
public final class BgmPeer {

    /**
     * The TLCP cipher suites BGMProvider 1.1.4 offers (its suite table also lists "ECC_SM4_SM3" and
     * "ECDHE_SM4_SM3" as older aliases of the CBC ones). BgmSelfTest runs each end to end. All four
     * work with client authentication; the two ECDHE ones need it: without a client double
     * certificate the BGM client stops with "No sufficient sm2 key agreement parameters negotiated",
     * because the SM2 key exchange uses the client's encryption key (GB/T 38636-2020 §6.4.5.7).
     */
    public static final List<String> SUITES = List.of(
            "ECC_SM4_CBC_SM3", "ECC_SM4_GCM_SM3", "ECDHE_SM4_CBC_SM3", "ECDHE_SM4_GCM_SM3");

    /** Whether a BGM handshake with this suite and server client-auth mode can complete at all. */
    public static boolean handshakes(String suite, ClientAuth auth) {
        return !(suite.startsWith("ECDHE_") && auth == ClientAuth.NONE);
    }

    public static final String PROTOCOL = "GMTLS";

    private static final int TIMEOUT_MS = 15_000;
    private static final char[] PASSWORD = "interop".toCharArray();

    /** Server-side client authentication mode. */
    public enum ClientAuth { NONE, WANT, NEED }

    /** What a finished echo round trip saw. */
    public record Echo(byte[] reply, String protocol, String cipherSuite, List<X509Certificate> peerChain) {
        /** Subject and key usage bits of each peer certificate, for assertion messages. */
        public List<String> describeChain() {
            return peerChain.stream().map(c -> c.getSubjectX500Principal().getName() + " ku="
                    + java.util.Arrays.toString(c.getKeyUsage())).toList();
        }
    }

    private BgmPeer() {
    }

    /** The provider, installed first in the JVM's list once (see class comment for why). */
    public static synchronized Provider provider() {
        Provider p = Security.getProvider("BGMProvider");
        if (p == null) {
            p = new org.openeuler.BGMProvider();
            Security.insertProviderAt(p, 1);
        }
        return p;
    }

    /** An SSLContext for TLCP with the given own double certificate (may be null) trusting root. */
    public static SSLContext context(DoubleCert own, X509CertificateHolder root) {
        try {
            Provider p = provider();
            X509Certificate rootCert = certificate(root.getEncoded());
            KeyManagerFactory kmf = null;
            if (own != null) {
                KeyStore ks = KeyStore.getInstance("PKCS12", p);
                ks.load(null, null);
                ks.setKeyEntry("sign", privateKey(own.sign().pkcs8()), PASSWORD,
                        new Certificate[] {certificate(own.sign().certificateDer()), rootCert});
                ks.setKeyEntry("enc", privateKey(own.enc().pkcs8()), PASSWORD,
                        new Certificate[] {certificate(own.enc().certificateDer()), rootCert});
                kmf = KeyManagerFactory.getInstance("NewSunX509", p);
                kmf.init(ks, PASSWORD);
            }
            KeyStore ts = KeyStore.getInstance("PKCS12", p);
            ts.load(null, null);
            ts.setCertificateEntry("root", rootCert);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX", p);
            tmf.init(ts);
            SSLContext ctx = SSLContext.getInstance(PROTOCOL, p);
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("BGMProvider context could not be set up", e);
        }
    }

    private static PrivateKey privateKey(byte[] pkcs8) throws GeneralSecurityException {
        return KeyFactory.getInstance("EC", provider()).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    }

    private static X509Certificate certificate(byte[] der) throws GeneralSecurityException {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }

    /** BGM client: connect, handshake with one suite, send message, read as many bytes back. */
    public static Echo echo(int port, String suite, DoubleCert clientCert, X509CertificateHolder root, byte[] message)
            throws IOException {
        SSLContext ctx = context(clientCert, root);
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), TIMEOUT_MS);
            s.setSoTimeout(TIMEOUT_MS);
            s.setEnabledProtocols(new String[] {PROTOCOL});
            s.setEnabledCipherSuites(new String[] {suite});
            s.startHandshake();
            OutputStream out = s.getOutputStream();
            out.write(message);
            out.flush();
            byte[] reply = s.getInputStream().readNBytes(message.length);
            SSLSession session = s.getSession();
            return new Echo(reply, session.getProtocol(), session.getCipherSuite(), peerChain(session));
        }
    }

    private static List<X509Certificate> peerChain(SSLSession session) {
        try {
            return java.util.Arrays.stream(session.getPeerCertificates()).map(c -> (X509Certificate) c).toList();
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            return List.of();
        }
    }

    /** Starts a BGM TLCP echo server on 127.0.0.1:0 for one suite. */
    public static Server server(String suite, ClientAuth auth, DoubleCert serverCert, X509CertificateHolder root)
            throws IOException {
        return new Server(context(serverCert, root), suite, auth);
    }

    /** A BGM TLCP echo server; remembers each connection's outcome for the test to inspect. */
    public static final class Server implements AutoCloseable {
        private final SSLServerSocket listener;
        private final Thread acceptor;
        private final List<Throwable> failures = new CopyOnWriteArrayList<>();
        private final List<Echo> sessions = new CopyOnWriteArrayList<>();
        private final List<Socket> open = Collections.synchronizedList(new ArrayList<>());
        private final CountDownLatch firstDone = new CountDownLatch(1);

        Server(SSLContext ctx, String suite, ClientAuth auth) throws IOException {
            listener = (SSLServerSocket) ctx.getServerSocketFactory()
                    .createServerSocket(0, 16, InetAddress.getLoopbackAddress());
            listener.setEnabledProtocols(new String[] {PROTOCOL});
            listener.setEnabledCipherSuites(new String[] {suite});
            listener.setNeedClientAuth(auth == ClientAuth.NEED);
            if (auth == ClientAuth.WANT) {
                listener.setWantClientAuth(true);
            }
            acceptor = new Thread(this::acceptLoop, "bgm-tlcp-server-" + suite);
            acceptor.setDaemon(true);
            acceptor.start();
        }

        public int port() {
            return listener.getLocalPort();
        }

        /** Failures of server-side connections so far (handshake or echo). */
        public List<Throwable> failures() {
            return List.copyOf(failures);
        }

        /** Sessions the server completed (reply field empty). */
        public List<Echo> sessions() {
            return List.copyOf(sessions);
        }

        /** Waits until the first connection has ended, at most the socket timeout. */
        public boolean awaitFirst() throws InterruptedException {
            return firstDone.await(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }

        private void acceptLoop() {
            // Bounded by the listener: close() ends accept() with an exception.
            while (!listener.isClosed()) {
                try {
                    SSLSocket s = (SSLSocket) listener.accept();
                    open.add(s);
                    Thread t = new Thread(() -> serve(s), "bgm-tlcp-conn");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    if (!listener.isClosed()) {
                        failures.add(e);
                    }
                    return;
                }
            }
        }

        private void serve(SSLSocket s) {
            try (s) {
                s.setSoTimeout(TIMEOUT_MS);
                s.startHandshake();
                SSLSession session = s.getSession();
                sessions.add(new Echo(new byte[0], session.getProtocol(), session.getCipherSuite(), peerChain(session)));
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                byte[] buf = new byte[16384];
                for (int n; (n = in.read(buf)) > 0; ) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException | RuntimeException e) {
                failures.add(e);
            } finally {
                open.remove(s);
                firstDone.countDown();
            }
        }

        @Override
        public void close() throws IOException {
            listener.close();
            synchronized (open) {
                for (Socket s : open) {
                    s.close();
                }
            }
        }
    }
}
