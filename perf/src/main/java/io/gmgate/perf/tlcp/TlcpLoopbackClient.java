package io.gmgate.perf.tlcp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.cert.X509CertificateHolder;

import io.gmgate.crypto.GmPem;
import io.gmgate.tlcp.CipherSuite;
import io.gmgate.tlcp.EcdheEncoding;
import io.gmgate.tlcp.RevocationCheck;
import io.gmgate.tlcp.TlcpClientConfig;
import io.gmgate.tlcp.TlcpEngine;
import io.gmgate.tlcp.X509CertificatePolicy;

/**
 * A load client for perf/tlcp-cpu.sh: N full handshakes in a row (no resumption) against a TLCP
 * server on 127.0.0.1, each on a new connection closed with close_notify. Fast enough that a
 * server is measured warm, and the same client for every server measured.
 *
 * <pre>java -cp perf/target/benchmarks.jar io.gmgate.perf.tlcp.TlcpLoopbackClient PORT SUITE CA_PEM N</pre>
 */
public final class TlcpLoopbackClient {

    private TlcpLoopbackClient() {
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        CipherSuite suite = CipherSuite.valueOf(args[1]);
        List<X509CertificateHolder> roots = GmPem.certificatesFromPem(Files.readString(Path.of(args[2]), StandardCharsets.US_ASCII));
        int n = Integer.parseInt(args[3]);
        TlcpClientConfig config = new TlcpClientConfig(List.of(suite), Optional.empty(),
                new X509CertificatePolicy(roots, RevocationCheck.NONE, true), Optional.empty(), EcdheEncoding.BARE,
                Clock.systemUTC(), new SecureRandom());
        int failures = 0;
        String last = "";
        for (int i = 0; i < n; i++) {
            try {
                handshake(config, port);
            } catch (IOException | RuntimeException e) {
                failures++;
                last = e.toString();
            }
        }
        System.out.println(n + " handshakes, " + failures + " failed" + (failures > 0 ? " (last: " + last + ")" : ""));
        if (failures > 0) {
            System.exit(1);
        }
    }

    private static void handshake(TlcpClientConfig config, int port) throws IOException {
        TlcpEngine engine = TlcpEngine.client("load", config);
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            s.setTcpNoDelay(true);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            byte[] buf = new byte[16 * 1024];
            for (int reads = 0; reads < 1000 && !engine.isHandshakeComplete(); reads++) {
                if (engine.hasOutput()) {
                    out.write(engine.takeOutput());
                    out.flush();
                }
                int r = in.read(buf);
                if (r < 0) {
                    throw new IOException("server closed during the handshake");
                }
                engine.feed(buf, 0, r);
            }
            if (!engine.isHandshakeComplete()) {
                throw new IOException("handshake did not complete");
            }
            engine.close();
            out.write(engine.takeOutput());
            out.flush();
        }
    }
}
