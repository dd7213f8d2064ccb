package io.gmgate.tlcp.handshake;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.cert.X509CertificateHolder;

import io.gmgate.crypto.Sm2Cipher;
import io.gmgate.crypto.Sm2PrivateKey;
import io.gmgate.crypto.Sm2PublicKey;
import io.gmgate.tlcp.Alert;
import io.gmgate.tlcp.CipherSuite;
import io.gmgate.tlcp.PeerDialect;
import io.gmgate.tlcp.SessionState;
import io.gmgate.tlcp.TlcpClientConfig;
import io.gmgate.tlcp.TlcpCredentials;
import io.gmgate.tlcp.TlcpErrors;
import io.gmgate.tlcp.TlcpException;
import io.gmgate.tlcp.record.RecordLayer;

/**
 * The client side of GB/T 38636-2020 §6.4: sends a minimal ClientHello (GmSSL's server drops
 * connections on unknown extensions, design §13), verifies the server's double certificate and
 * ServerKeyExchange signature, answers a CertificateRequest with what it holds, and resumes a
 * session when the server agrees.
 */
public final class ClientHandshake extends Handshaker {

    enum State { SERVER_HELLO, SERVER_CERTIFICATE, SERVER_KEY_EXCHANGE, CERTIFICATE_REQUEST_OR_DONE,
        SERVER_HELLO_DONE, CHANGE_CIPHER_SPEC, FINISHED, RESUMED_CHANGE_CIPHER_SPEC, RESUMED_FINISHED, DONE }

    private final TlcpClientConfig config;
    private State state = State.SERVER_HELLO;
    private Sm2PublicKey serverSignKey;
    private Sm2PublicKey serverEncKey;
    private byte[] serverEncCertDer;
    private byte[] serverEcdheParams;
    private boolean certificateRequested;

    public ClientHandshake(RecordLayer records, TlcpClientConfig config) {
        super(records);
        this.config = config;
    }

    /** Queues the ClientHello. */
    public void start() {
        clientRandom = random32(config.random(), config.clock().instant());
        List<Integer> suites = new ArrayList<>();
        config.suites().forEach(s -> suites.add(s.id));
        byte[] offeredId = config.resume().map(SessionState::id).orElse(new byte[0]);
        send(HandshakeType.CLIENT_HELLO, new ClientHello(RecordLayer.VERSION, clientRandom, offeredId, suites,
                new byte[] {0}, List.of()).encode());
    }

    @Override
    protected void onMessage(int type, byte[] body, byte[] whole) {
        switch (state) {
            case SERVER_HELLO -> serverHello(expect(type, HandshakeType.SERVER_HELLO, body), whole);
            case SERVER_CERTIFICATE -> serverCertificate(expect(type, HandshakeType.CERTIFICATE, body), whole);
            case SERVER_KEY_EXCHANGE -> serverKeyExchange(expect(type, HandshakeType.SERVER_KEY_EXCHANGE, body), whole);
            case CERTIFICATE_REQUEST_OR_DONE -> {
                if (type == HandshakeType.CERTIFICATE_REQUEST) {
                    CertificateRequest.parse(body);
                    received(whole);
                    certificateRequested = true;
                    state = State.SERVER_HELLO_DONE;
                } else {
                    serverHelloDone(expect(type, HandshakeType.SERVER_HELLO_DONE, body), whole);
                }
            }
            case SERVER_HELLO_DONE -> serverHelloDone(expect(type, HandshakeType.SERVER_HELLO_DONE, body), whole);
            case FINISHED -> {
                checkFinished(false, expect(type, HandshakeType.FINISHED, body), whole);
                state = State.DONE;
                markComplete();
            }
            case RESUMED_FINISHED -> {
                checkFinished(false, expect(type, HandshakeType.FINISHED, body), whole);
                sendChangeCipherSpec(true);
                sendFinished(true);
                state = State.DONE;
                markComplete();
            }
            default -> throw TlcpException.unexpected(HandshakeType.name(type) + " in state " + state);
        }
    }

    @Override
    public void onChangeCipherSpec() {
        if (state == State.CHANGE_CIPHER_SPEC) {
            receiveChangeCipherSpec(true);
            state = State.FINISHED;
        } else if (state == State.RESUMED_CHANGE_CIPHER_SPEC) {
            receiveChangeCipherSpec(true);
            state = State.RESUMED_FINISHED;
        } else {
            throw TlcpException.unexpected("ChangeCipherSpec in state " + state);
        }
    }

    private void serverHello(byte[] body, byte[] whole) {
        ServerHello hello = ServerHello.parse(body);
        if (hello.version() != RecordLayer.VERSION) {
            throw new TlcpException(TlcpErrors.VERSION, Alert.PROTOCOL_VERSION,
                    "ServerHello version 0x" + Integer.toHexString(hello.version()) + ", TLCP is 0x0101");
        }
        suite = CipherSuite.byId(hello.suite()).filter(config.suites()::contains)
                .orElseThrow(() -> new TlcpException(TlcpErrors.NO_COMMON_SUITE, Alert.ILLEGAL_PARAMETER,
                        String.format("server chose suite 0x%04X, which was not offered", hello.suite())));
        if (hello.compression() != 0) {
            throw new TlcpException(TlcpErrors.HANDSHAKE_FAILED, Alert.ILLEGAL_PARAMETER, "server chose compression");
        }
        received(whole);
        serverRandom = hello.random();
        sessionId = hello.sessionId();
        Optional<SessionState> offered = config.resume();
        if (offered.isPresent() && hello.sessionId().length > 0 && Arrays.equals(offered.get().id(), hello.sessionId())) {
            if (offered.get().suite() != suite) {
                throw new TlcpException(TlcpErrors.HANDSHAKE_FAILED, Alert.ILLEGAL_PARAMETER,
                        "server resumed the session with another suite");
            }
            resumed = true;
            peerChain = parseCertificates(offered.get().peerCertificates());
            resumeKeys(offered.get().masterSecret(), config.random());
            state = State.RESUMED_CHANGE_CIPHER_SPEC;
            return;
        }
        state = State.SERVER_CERTIFICATE;
    }

    private void serverCertificate(byte[] body, byte[] whole) {
        List<X509CertificateHolder> chain = parseCertificates(CertificateMessage.parse(body).certificates());
        if (chain.size() < 2 || encOf(chain).isEmpty()) {
            throw new TlcpException(TlcpErrors.PEER_CERTIFICATE_MISSING, Alert.BAD_CERTIFICATE,
                    "the server sent " + chain.size() + " certificates; TLCP needs its sign and encryption certificates");
        }
        config.serverPolicy().check(chain.get(0), encOf(chain), othersOf(chain), config.clock().instant());
        received(whole);
        peerChain = chain;
        serverSignKey = keyOf(chain.get(0));
        serverEncKey = keyOf(chain.get(1));
        serverEncCertDer = ServerHandshake.der(chain.get(1));
        state = State.SERVER_KEY_EXCHANGE;
    }

    private void serverKeyExchange(byte[] body, byte[] whole) {
        ServerKeyExchange ske = ServerKeyExchange.parse(body, suite.ecdhe);
        byte[] signed = suite.ecdhe
                ? Prf.concat(clientRandom, serverRandom, ske.ecdheParams())
                : Prf.concat(clientRandom, serverRandom, new Writer().vector24(serverEncCertDer).toBytes());
        if (!verify(serverSignKey, signed, ske.signature())) {
            throw new TlcpException(TlcpErrors.HANDSHAKE_FAILED, Alert.DECRYPT_ERROR,
                    "ServerKeyExchange signature does not verify under the server's sign certificate");
        }
        if (suite.ecdhe) {
            EcdheParams.point(ske.ecdheParams());
            serverEcdheParams = ske.ecdheParams();
        }
        received(whole);
        state = State.CERTIFICATE_REQUEST_OR_DONE;
    }

    private void serverHelloDone(byte[] body, byte[] whole) {
        if (body.length != 0) {
            throw TlcpException.decode("ServerHelloDone with a body");
        }
        received(whole);
        Optional<TlcpCredentials> creds = config.credentials();
        boolean authenticate = certificateRequested && creds.isPresent();
        if (certificateRequested) {
            List<byte[]> chain = new ArrayList<>();
            if (creds.isPresent()) {
                chain.add(ServerHandshake.der(creds.get().signCertificate()));
                // GmSSL's server reads [sign, CA…] in the ECC suites; everyone else [sign, enc, CA…]
                if (suite.ecdhe || config.dialect() != PeerDialect.GMSSL) {
                    creds.get().encCertificate().ifPresent(c -> chain.add(ServerHandshake.der(c)));
                }
                creds.get().caCertificates().forEach(c -> chain.add(ServerHandshake.der(c)));
            }
            send(HandshakeType.CERTIFICATE, new CertificateMessage(chain).encode());
        }
        byte[] preMaster;
        if (suite.ecdhe) {
            if (creds.isEmpty() || creds.get().encKey().isEmpty()) {
                throw new TlcpException(TlcpErrors.BAD_CONFIGURATION, Alert.HANDSHAKE_FAILURE,
                        "the ECDHE suites need this client's whole encryption key (co-signed keys use the ECC suites)");
            }
            Sm2PrivateKey ephemeral = Sm2PrivateKey.generate();
            byte[] params = EcdheParams.encode(EcdheParams.NAMED_CURVE, curveOf(serverEcdheParams),
                    ephemeral.publicKey().encoded());
            preMaster = creds.get().encKey().get().preMaster(false, ephemeral, serverEncKey,
                    Sm2PublicKey.of(EcdheParams.point(serverEcdheParams)));
            ephemeral.destroy();
            send(HandshakeType.CLIENT_KEY_EXCHANGE, ClientKeyExchange.encodeEcdhe(params, config.ecdheEncoding()));
        } else {
            preMaster = new byte[48];
            config.random().nextBytes(preMaster);
            preMaster[0] = 0x01;
            preMaster[1] = 0x01;
            byte[] ct = Sm2Cipher.encrypt(serverEncKey, preMaster).toDer();
            send(HandshakeType.CLIENT_KEY_EXCHANGE, ClientKeyExchange.encodeEcc(ct));
        }
        if (authenticate) {
            // GB/T 38636-2020 §6.4.5.9 signs sm3_hash = SM3(handshake_messages); GmSSL signs the messages
            byte[] signed = config.dialect() == PeerDialect.GMSSL ? transcriptBytes() : transcriptHash();
            send(HandshakeType.CERTIFICATE_VERIFY, CertificateVerify.encode(sign(creds.get().signKey(), signed)));
        }
        deriveKeys(preMaster, config.random());
        sendChangeCipherSpec(true);
        sendFinished(true);
        state = State.CHANGE_CIPHER_SPEC;
    }

    private static int curveOf(byte[] params) {
        return (params[1] & 0xFF) << 8 | params[2] & 0xFF;
    }
}
