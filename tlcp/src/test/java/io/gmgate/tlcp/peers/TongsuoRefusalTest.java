package io.gmgate.tlcp.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.tlcp.Alert;
import io.gmgate.tlcp.CipherSuite;
import io.gmgate.tlcp.ClientAuth;
import io.gmgate.tlcp.EcdheEncoding;
import io.gmgate.tlcp.PeerDialect;
import io.gmgate.tlcp.TlcpErrors;
import io.gmgate.tlcp.TlcpException;

/**
 * Refusals as a real peer sees them: the alert our engine sends reaches Tongsuo as the alert it
 * names, and our side reports the CERT-/TLS- code a trader or SRE acts on. Runs when
 * GMGATE_TONGSUO points at the binary.
 */
class TongsuoRefusalTest {

    @TempDir
    static Path dir;
    static Path tongsuo;
    static PeerPki pki;
    static PeerPki stranger;
    static PeerPki.Identity server;
    static PeerPki.Identity foreignClient;
    static PeerPki.Identity foreignServer;

    @BeforeAll
    static void pki() throws Exception {
        tongsuo = NativeTool.TONGSUO.require();
        pki = PeerPki.create(dir);
        server = pki.inMemory("server", "localhost");
        Path other = Files.createDirectory(dir.resolve("stranger"));
        stranger = PeerPki.create(other);
        foreignClient = stranger.inMemory("client", "8009999");
        foreignServer = stranger.inMemory("server", "localhost");
    }

    private static List<String> sClient(int port, Optional<PeerPki.Identity> id) {
        List<String> cmd = new ArrayList<>(List.of(tongsuo.toString(), "s_client", "-connect", "127.0.0.1:" + port,
                "-enable_ntls", "-ntls", "-cipher", "ECC-SM2-SM4-CBC-SM3", "-CAfile", pki.rootPem().toString(),
                "-verify_return_error"));
        id.ifPresent(c -> cmd.addAll(List.of("-sign_cert", c.sign().certificatePem().toString(),
                "-sign_key", c.sign().keyPem().toString(), "-enc_cert", c.enc().certificatePem().toString(),
                "-enc_key", c.enc().keyPem().toString())));
        return cmd;
    }

    private static void assertPeerSaw(NativeRun peer, String alert, int number) {
        String out = peer.output();
        assertTrue(out.contains("alert " + alert) || out.contains("alert number " + number),
                () -> "expected the peer to report alert " + alert + " (" + number + "): " + peer.describe());
    }

    @Test
    void clientCertificateFromAnotherCaIsRefusedWithUnknownCa() throws Exception {
        try (OurServer ours = OurServer.start(PeerConfigs.server(pki, server, CipherSuite.ECC_SM4_CBC_SM3, ClientAuth.REQUIRED));
             NativeRun peer = NativeRun.start(sClient(ours.port(), Optional.of(foreignClient)), dir, dir.resolve("foreign-client.log"))) {
            peer.stdin().close();
            OurServer.Outcome o = ours.await(Duration.ofSeconds(20));
            TlcpException e = assertInstanceOf(TlcpException.class, o.failure(), () -> String.valueOf(o.failure()));
            assertEquals(TlcpErrors.PEER_CERTIFICATE_UNTRUSTED, e.errorCode());
            assertSame(Alert.UNKNOWN_CA, e.alert());
            peer.awaitExit(Duration.ofSeconds(20));
            assertPeerSaw(peer, "unknown ca", 48);
        }
    }

    @Test
    void missingClientCertificateIsRefusedWithHandshakeFailure() throws Exception {
        try (OurServer ours = OurServer.start(PeerConfigs.server(pki, server, CipherSuite.ECC_SM4_CBC_SM3, ClientAuth.REQUIRED));
             NativeRun peer = NativeRun.start(sClient(ours.port(), Optional.empty()), dir, dir.resolve("no-cert-client.log"))) {
            peer.stdin().close();
            OurServer.Outcome o = ours.await(Duration.ofSeconds(20));
            TlcpException e = assertInstanceOf(TlcpException.class, o.failure(), () -> String.valueOf(o.failure()));
            assertEquals(TlcpErrors.CLIENT_CERTIFICATE_REQUIRED, e.errorCode());
            assertSame(Alert.HANDSHAKE_FAILURE, e.alert());
            peer.awaitExit(Duration.ofSeconds(20));
            assertPeerSaw(peer, "handshake failure", 40);
        }
    }

    @Test
    void serverCertificateFromAnotherCaIsRefusedByOurClient() throws Exception {
        int port = NativeRun.freePort();
        List<String> cmd = List.of(tongsuo.toString(), "s_server", "-accept", "127.0.0.1:" + port, "-enable_ntls",
                "-sign_cert", foreignServer.sign().certificatePem().toString(),
                "-sign_key", foreignServer.sign().keyPem().toString(),
                "-enc_cert", foreignServer.enc().certificatePem().toString(),
                "-enc_key", foreignServer.enc().keyPem().toString(), "-cipher", "ECC-SM2-SM4-CBC-SM3", "-www",
                "-naccept", "1");
        try (NativeRun peer = NativeRun.start(cmd, dir, dir.resolve("foreign-server.log"))) {
            peer.awaitListening(port, Duration.ofSeconds(10));
            TlcpException e = assertThrows(TlcpException.class, () -> PeerConfigs.get(PeerConfigs.client(pki,
                    Optional.empty(), CipherSuite.ECC_SM4_CBC_SM3, EcdheEncoding.BARE, PeerDialect.STANDARD), port));
            assertEquals(TlcpErrors.PEER_CERTIFICATE_UNTRUSTED, e.errorCode());
            assertSame(Alert.UNKNOWN_CA, e.alert());
            assertNotNull(e.getMessage());
            peer.awaitExit(Duration.ofSeconds(20));
            assertPeerSaw(peer, "unknown ca", 48);
        }
    }
}
