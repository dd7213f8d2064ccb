package io.gmgate.tlcp.handshake;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;

import io.gmgate.crypto.GmCryptoException;
import io.gmgate.crypto.Sm2Ciphertext;
import io.gmgate.crypto.Sm2PrivateKey;
import io.gmgate.crypto.Sm2PublicKey;
import io.gmgate.tlcp.Alert;
import io.gmgate.tlcp.CipherSuite;
import io.gmgate.tlcp.ClientAuth;
import io.gmgate.tlcp.SessionState;
import io.gmgate.tlcp.TlcpErrors;
import io.gmgate.tlcp.TlcpException;
import io.gmgate.tlcp.TlcpServerConfig;
import io.gmgate.tlcp.record.RecordLayer;

/**
 * The server side of GB/T 38636-2020 §6.4: full handshakes for the ECC and ECDHE suites, client
 * authentication off, optional or required, and session-id resumption. One method per state;
 * a message that the current state does not expect is unexpected_message.
 */
public final class ServerHandshake extends Handshaker {

    enum State { CLIENT_HELLO, CLIENT_CERTIFICATE, CLIENT_KEY_EXCHANGE, CERTIFICATE_VERIFY, CHANGE_CIPHER_SPEC,
        FINISHED, RESUMED_CHANGE_CIPHER_SPEC, RESUMED_FINISHED, DONE }

    private final TlcpServerConfig config;
    private State state = State.CLIENT_HELLO;
    private boolean certificateRequested;
    private Sm2PrivateKey ephemeral;
    private byte[] clientEcdheParams;
    private byte[] clientSignature;
    private TlcpException resumptionRefused;

    public ServerHandshake(RecordLayer records, TlcpServerConfig config) {
        super(records);
        this.config = config;
    }

    @Override
    protected void onMessage(int type, byte[] body, byte[] whole) {
        switch (state) {
            case CLIENT_HELLO -> clientHello(expect(type, HandshakeType.CLIENT_HELLO, body), whole);
            case CLIENT_CERTIFICATE -> {
                if (type == HandshakeType.CERTIFICATE) {
                    clientCertificate(body, whole);
                } else {
                    throw TlcpException.unexpected(HandshakeType.name(type) + " instead of the client's Certificate");
                }
            }
            case CLIENT_KEY_EXCHANGE -> clientKeyExchange(expect(type, HandshakeType.CLIENT_KEY_EXCHANGE, body), whole);
            case CERTIFICATE_VERIFY -> certificateVerify(expect(type, HandshakeType.CERTIFICATE_VERIFY, body), whole);
            case FINISHED -> {
                checkFinished(true, expect(type, HandshakeType.FINISHED, body), whole);
                sendChangeCipherSpec(false);
                sendFinished(false);
                finish();
            }
            case RESUMED_FINISHED -> {
                checkFinished(true, expect(type, HandshakeType.FINISHED, body), whole);
                state = State.DONE;
                markComplete();
            }
            default -> throw TlcpException.unexpected(HandshakeType.name(type) + " in state " + state);
        }
    }

    @Override
    public void onChangeCipherSpec() {
        if (state == State.CHANGE_CIPHER_SPEC) {
            receiveChangeCipherSpec(false);
            state = State.FINISHED;
        } else if (state == State.RESUMED_CHANGE_CIPHER_SPEC) {
            receiveChangeCipherSpec(false);
            state = State.RESUMED_FINISHED;
        } else {
            throw TlcpException.unexpected("ChangeCipherSpec in state " + state);
        }
    }

    private void clientHello(byte[] body, byte[] whole) {
        ClientHello hello = ClientHello.parse(body);
        if (hello.version() != RecordLayer.VERSION) {
            throw new TlcpException(TlcpErrors.VERSION, Alert.PROTOCOL_VERSION,
                    "ClientHello version 0x" + Integer.toHexString(hello.version()) + ", TLCP is 0x0101");
        }
        boolean nullCompression = false;
        for (byte c : hello.compressions()) {
            nullCompression |= c == 0;
        }
        if (!nullCompression) {
            throw new TlcpException(TlcpErrors.HANDSHAKE_FAILED, Alert.ILLEGAL_PARAMETER, "client offers no null compression");
        }
        received(whole);
        clientRandom = hello.random();
        serverRandom = random32(config.random(), config.clock().instant());
        if (hello.sessionId().length > 0 && tryResume(hello)) {
            return;
        }
        suite = config.suites().stream().filter(s -> hello.suites().contains(s.id)).findFirst()
                .orElseThrow(() -> new TlcpException(TlcpErrors.NO_COMMON_SUITE, Alert.HANDSHAKE_FAILURE,
                        "client offers " + hex(hello.suites()) + ", enabled here " + config.suites()));
        sessionId = new byte[32];
        config.random().nextBytes(sessionId);
        send(HandshakeType.SERVER_HELLO, new ServerHello(RecordLayer.VERSION, serverRandom, sessionId, suite.id, 0,
                List.of()).encode());
        send(HandshakeType.CERTIFICATE, new CertificateMessage(der(config.credentials().signCertificate(),
                config.credentials().encCertificate().orElseThrow(), config.credentials().caCertificates())).encode());
        byte[] encCert = der(config.credentials().encCertificate().orElseThrow());
        byte[] params = new byte[0];
        byte[] signed;
        if (suite.ecdhe) {
            ephemeral = Sm2PrivateKey.generate();
            params = EcdheParams.encode(EcdheParams.NAMED_CURVE, EcdheParams.curveFor(hello.extensions()),
                    ephemeral.publicKey().encoded());
            signed = Prf.concat(clientRandom, serverRandom, params);
        } else {
            signed = Prf.concat(clientRandom, serverRandom, new Writer().vector24(encCert).toBytes());
        }
        send(HandshakeType.SERVER_KEY_EXCHANGE, new ServerKeyExchange(params,
                sign(config.credentials().signKey(), signed)).encode());
        // The ECDHE key exchange needs the client's encryption certificate, so those suites always ask.
        if (config.clientAuth() != ClientAuth.NONE || suite.ecdhe) {
            List<byte[]> names = new ArrayList<>();
            for (X500Name n : config.clientPolicy() == null ? List.<X500Name>of() : config.clientPolicy().acceptedIssuers()) {
                names.add(encoded(n));
            }
            send(HandshakeType.CERTIFICATE_REQUEST, new CertificateRequest(CertificateRequest.DEFAULT_TYPES, names).encode());
            certificateRequested = true;
        }
        send(HandshakeType.SERVER_HELLO_DONE, new byte[0]);
        state = certificateRequested ? State.CLIENT_CERTIFICATE : State.CLIENT_KEY_EXCHANGE;
    }

    private boolean tryResume(ClientHello hello) {
        Optional<SessionState> cached = config.sessions().get(hello.sessionId());
        if (cached.isEmpty() || !hello.suites().contains(cached.get().suite().id)
                || !config.suites().contains(cached.get().suite())) {
            return false;
        }
        SessionState s = cached.get();
        List<X509CertificateHolder> chain = parseCertificates(s.peerCertificates());
        // A session belongs to the listener (and the client-auth requirement) that created it: one
        // made by a one-way handshake must not open a listener that demands a certificate. Per
        // GB/T 38636-2020 §6.4.5.2.2 the server is free to ignore the offered id: a full handshake follows.
        if (!s.listener().equals(config.listener())) {
            return refuseResumption("session " + s.idHex() + " was created on listener '" + s.listener() + "'");
        }
        if (chain.isEmpty() && config.clientAuth() == ClientAuth.REQUIRED) {
            return refuseResumption("session " + s.idHex() + " carries no verified client certificate");
        }
        if (!chain.isEmpty() && config.clientPolicy() != null) {
            // A resumed session skips the certificate exchange, not the policy: a certificate revoked
            // or a key record locked since the full handshake must not come back through the cache.
            try {
                config.clientPolicy().check(chain.get(0), encOf(chain), othersOf(chain), config.clock().instant());
                config.binding().recheck(chain, s.keyRecord(), config.clock().instant());
            } catch (TlcpException refused) {
                config.sessions().remove(s.id());
                throw refused;
            }
        }
        suite = s.suite();
        sessionId = s.id();
        peerChain = chain;
        resumed = true;
        send(HandshakeType.SERVER_HELLO, new ServerHello(RecordLayer.VERSION, serverRandom, sessionId, suite.id, 0,
                List.of()).encode());
        resumeKeys(s.masterSecret(), config.random());
        sendChangeCipherSpec(false);
        sendFinished(false);
        state = State.RESUMED_CHANGE_CIPHER_SPEC;
        return true;
    }

    private boolean refuseResumption(String why) {
        resumptionRefused = new TlcpException(TlcpErrors.RESUMPTION_REFUSED, Alert.HANDSHAKE_FAILURE,
                why + "; listener '" + config.listener() + "' (client auth " + config.clientAuth() + ") runs a full handshake");
        return false;
    }

    /** Why the session the client offered was not resumed, when it was refused rather than unknown. */
    public Optional<TlcpException> resumptionRefused() {
        return Optional.ofNullable(resumptionRefused);
    }

    private void clientCertificate(byte[] body, byte[] whole) {
        List<X509CertificateHolder> chain = parseCertificates(CertificateMessage.parse(body).certificates());
        received(whole);
        if (chain.isEmpty()) {
            if (config.clientAuth() == ClientAuth.REQUIRED) {
                throw new TlcpException(TlcpErrors.CLIENT_CERTIFICATE_REQUIRED, Alert.HANDSHAKE_FAILURE,
                        "client sent no certificate; this listener requires two-way TLCP");
            }
        } else {
            if (config.clientPolicy() == null) {
                throw new TlcpException(TlcpErrors.BAD_CONFIGURATION, Alert.HANDSHAKE_FAILURE,
                        "a client certificate arrived but no client certificate policy is configured");
            }
            config.clientPolicy().check(chain.get(0), encOf(chain), othersOf(chain), config.clock().instant());
            if (suite.ecdhe && encOf(chain).isEmpty()) {
                throw new TlcpException(TlcpErrors.PEER_CERTIFICATE_MISSING, Alert.BAD_CERTIFICATE,
                        "the ECDHE suites need the client's encryption certificate too");
            }
            peerChain = chain;
        }
        state = State.CLIENT_KEY_EXCHANGE;
    }

    private void clientKeyExchange(byte[] body, byte[] whole) {
        received(whole);
        byte[] preMaster;
        if (suite.ecdhe) {
            if (peerChain.isEmpty()) {
                throw new TlcpException(TlcpErrors.CLIENT_CERTIFICATE_REQUIRED, Alert.HANDSHAKE_FAILURE,
                        "the ECDHE suites need a client certificate");
            }
            clientEcdheParams = ClientKeyExchange.parseEcdhe(body);
            preMaster = config.credentials().encKey().orElseThrow().preMaster(true, ephemeral,
                    keyOf(encOf(peerChain).orElseThrow()), Sm2PublicKey.of(EcdheParams.point(clientEcdheParams)));
            ephemeral.destroy();
        } else {
            byte[] ct = ClientKeyExchange.parseEcc(body);
            preMaster = decryptPreMaster(ct);
        }
        deriveKeys(preMaster, config.random());
        state = peerChain.isEmpty() ? State.CHANGE_CIPHER_SPEC : State.CERTIFICATE_VERIFY;
    }

    private byte[] decryptPreMaster(byte[] ct) {
        Sm2Ciphertext parsed;
        try {
            parsed = Sm2Ciphertext.fromDer(ct);
        } catch (GmCryptoException | IllegalArgumentException e) {
            throw new TlcpException(TlcpErrors.HANDSHAKE_FAILED, Alert.DECRYPT_ERROR, "pre-master secret is not a DER SM2 ciphertext");
        }
        byte[] pms;
        try {
            pms = config.credentials().decryptor().orElseThrow().decrypt(parsed);
        } catch (GmCryptoException e) {
            throw new TlcpException(TlcpErrors.HANDSHAKE_FAILED, Alert.DECRYPT_ERROR, "pre-master secret does not decrypt");
        } catch (TlcpException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new TlcpException(TlcpErrors.KEY_OPERATION_FAILED, Alert.INTERNAL_ERROR,
                    "decrypting the pre-master secret failed: " + e.getMessage(), e);
        }
        if (pms.length != 48 || pms[0] != 0x01 || pms[1] != 0x01) {
            throw new TlcpException(TlcpErrors.HANDSHAKE_FAILED, Alert.DECRYPT_ERROR,
                    "pre-master secret of " + pms.length + " bytes or wrong version");
        }
        return pms;
    }

    private void certificateVerify(byte[] body, byte[] whole) {
        byte[] sig = CertificateVerify.parse(body);
        byte[] handshake = transcriptBytes();
        io.gmgate.crypto.Sm2PublicKey key = keyOf(peerChain.get(0));
        // GB/T 38636-2020 §6.4.5.9 and Tongsuo sign SM3(handshake messages); GmSSL signs the
        // messages themselves (design §13): accept either, for the price of one verification.
        if (!verifyEither(key, sig, transcriptHash(), handshake)) {
            throw new TlcpException(TlcpErrors.HANDSHAKE_FAILED, Alert.DECRYPT_ERROR,
                    "client CertificateVerify does not verify under " + peerChain.get(0).getSubject());
        }
        received(whole);
        clientSignature = sig;
        state = State.CHANGE_CIPHER_SPEC;
    }

    private void finish() {
        state = State.DONE;
        markComplete();
        Optional<SessionState> made = session(config.clock().instant());
        if (made.isEmpty()) {
            return;
        }
        // a session with a client chain is resumable only once bound to the key record that signed
        Optional<String> keyRecord = peerChain.isEmpty() ? Optional.of("")
                : config.binding().bind(peerChain, clientSignature == null ? new byte[0] : clientSignature.clone());
        keyRecord.ifPresent(k -> config.sessions().put(made.get().boundTo(config.listener(), k)));
    }

    private static List<byte[]> der(X509CertificateHolder sign, X509CertificateHolder enc, List<X509CertificateHolder> cas) {
        List<byte[]> out = new ArrayList<>();
        out.add(der(sign));
        out.add(der(enc));
        cas.forEach(c -> out.add(der(c)));
        return out;
    }

    static byte[] der(X509CertificateHolder c) {
        try {
            return c.getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] encoded(X500Name n) {
        try {
            return n.getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(List<Integer> ids) {
        return ids.stream().map(i -> String.format("0x%04X", i)).toList().toString();
    }

}
