package io.gmgate.tlcp.handshake;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.cert.X509CertificateHolder;

import io.gmgate.crypto.GmCryptoException;
import io.gmgate.crypto.GmPem;
import io.gmgate.crypto.Sm2PublicKey;
import io.gmgate.crypto.Sm2SignKey;
import io.gmgate.crypto.Sm2Signature;
import io.gmgate.crypto.Sm2Signer;
import io.gmgate.crypto.Sm3;
import io.gmgate.tlcp.Alert;
import io.gmgate.tlcp.CipherSuite;
import io.gmgate.tlcp.SessionState;
import io.gmgate.tlcp.TlcpErrors;
import io.gmgate.tlcp.TlcpException;
import io.gmgate.tlcp.record.ContentType;
import io.gmgate.tlcp.record.RecordLayer;
import io.gmgate.tlcp.record.RecordProtection;

/**
 * What the client and the server handshakes share: message framing and reassembly, the
 * transcript, the key schedule and Finished, and SM2 signing and verification of handshake data.
 * Subclasses are the state machines; only they change state.
 */
public abstract class Handshaker {

    /** A handshake message longer than this is refused before it is buffered. */
    static final int MAX_MESSAGE = 64 * 1024;

    protected final RecordLayer records;
    private final ByteArrayOutputStream transcript = new ByteArrayOutputStream();
    /** The transcript's SM3, kept as it grows: CertificateVerify and both Finished each need it at a different point. */
    private final Sm3.Running transcriptDigest = new Sm3.Running();
    private byte[] partial = new byte[0];

    protected byte[] clientRandom;
    protected byte[] serverRandom;
    protected byte[] sessionId = new byte[0];
    protected CipherSuite suite;
    protected byte[] master;
    protected RecordProtection[] pending;
    protected List<X509CertificateHolder> peerChain = List.of();
    protected boolean resumed;
    private boolean complete;

    protected Handshaker(RecordLayer records) {
        this.records = records;
    }

    /** Handshake-record bytes: reassembles messages (several per record, or one over several). */
    public final void onHandshakeRecord(byte[] fragment) {
        byte[] buf = Prf.concat(partial, fragment);
        int p = 0;
        while (buf.length - p >= 4) {
            int type = buf[p] & 0xFF;
            int length = (buf[p + 1] & 0xFF) << 16 | (buf[p + 2] & 0xFF) << 8 | buf[p + 3] & 0xFF;
            if (length > MAX_MESSAGE) {
                throw TlcpException.decode(HandshakeType.name(type) + " of " + length + " bytes");
            }
            if (buf.length - p - 4 < length) {
                break;
            }
            byte[] whole = Arrays.copyOfRange(buf, p, p + 4 + length);
            byte[] body = Arrays.copyOfRange(buf, p + 4, p + 4 + length);
            p += 4 + length;
            if (complete) {
                throw new TlcpException(TlcpErrors.RENEGOTIATION_REFUSED, Alert.NO_RENEGOTIATION,
                        HandshakeType.name(type) + " after the handshake: renegotiation is refused");
            }
            onMessage(type, body, whole);
        }
        partial = Arrays.copyOfRange(buf, p, buf.length);
        if (partial.length > MAX_MESSAGE + 4) {
            throw TlcpException.decode("handshake fragment overflow");
        }
    }

    public abstract void onChangeCipherSpec();

    protected abstract void onMessage(int type, byte[] body, byte[] whole);

    public final boolean isComplete() {
        return complete;
    }

    protected final void markComplete() {
        complete = true;
    }

    /** True when a ChangeCipherSpec record may arrive now. */
    protected final void requireNoPartialMessage() {
        if (partial.length > 0) {
            throw TlcpException.unexpected("ChangeCipherSpec in the middle of a handshake message");
        }
    }

    protected final void send(int type, byte[] body) {
        byte[] msg = new Writer().u8(type).u24(body.length).bytes(body).toBytes();
        transcript.writeBytes(msg);
        transcriptDigest.update(msg);
        records.send(ContentType.HANDSHAKE, msg);
    }

    protected final void received(byte[] whole) {
        transcript.writeBytes(whole);
        transcriptDigest.update(whole);
    }

    protected final byte[] transcriptBytes() {
        return transcript.toByteArray();
    }

    protected final byte[] transcriptHash() {
        return transcriptDigest.digestSoFar();
    }

    protected final void sendChangeCipherSpec(boolean clientSide) {
        records.send(ContentType.CHANGE_CIPHER_SPEC, new byte[] {1});
        records.changeWriteProtection(pending[clientSide ? 0 : 1]);
    }

    protected final void receiveChangeCipherSpec(boolean clientSide) {
        requireNoPartialMessage();
        records.changeReadProtection(pending[clientSide ? 1 : 0]);
    }

    protected final void deriveKeys(byte[] preMaster, java.security.SecureRandom random) {
        master = KeySchedule.masterSecret(preMaster, clientRandom, serverRandom);
        Arrays.fill(preMaster, (byte) 0);
        pending = KeySchedule.protections(suite, master, clientRandom, serverRandom, random);
    }

    protected final void resumeKeys(byte[] cachedMaster, java.security.SecureRandom random) {
        master = cachedMaster.clone();
        pending = KeySchedule.protections(suite, master, clientRandom, serverRandom, random);
    }

    protected final void sendFinished(boolean clientSide) {
        send(HandshakeType.FINISHED, KeySchedule.finished(master, clientSide, transcriptHash()));
    }

    /** Checks the peer's Finished against the transcript before it; then records it. */
    protected final void checkFinished(boolean fromClient, byte[] body, byte[] whole) {
        byte[] expected = KeySchedule.finished(master, fromClient, transcriptHash());
        if (!MessageDigest.isEqual(expected, body)) {
            throw new TlcpException(TlcpErrors.HANDSHAKE_FAILED, Alert.DECRYPT_ERROR,
                    "the peer's Finished does not match the handshake: keys or messages differ");
        }
        received(whole);
    }

    protected static byte[] random32(java.security.SecureRandom random, Instant now) {
        byte[] r = new byte[32];
        random.nextBytes(r);
        long t = now.getEpochSecond();
        r[0] = (byte) (t >>> 24);
        r[1] = (byte) (t >>> 16);
        r[2] = (byte) (t >>> 8);
        r[3] = (byte) t;
        return r;
    }

    // --- SM2 over handshake data: Z with the default ID (GB/T 32918.2, GM/T 0009) ---

    /** The body of a handshake message that must be {@code wanted} at this point, or unexpected_message. */
    protected static byte[] expect(int type, int wanted, byte[] body) {
        if (type != wanted) {
            throw TlcpException.unexpected(HandshakeType.name(type) + " instead of " + HandshakeType.name(wanted));
        }
        return body;
    }

    protected static byte[] sign(Sm2SignKey key, byte[] data) {
        BigInteger e = Sm2Signer.e(key.publicKey(), Sm2Signer.defaultId(), data);
        try {
            return key.signDigest(org.bouncycastle.util.BigIntegers.asUnsignedByteArray(32, e)).toDer();
        } catch (TlcpException ex) {
            throw ex;
        } catch (RuntimeException ex) {
            throw new TlcpException(TlcpErrors.KEY_OPERATION_FAILED, Alert.INTERNAL_ERROR,
                    "signing failed with " + key + ": " + ex.getMessage(), ex);
        }
    }

    protected static boolean verify(Sm2PublicKey key, byte[] data, byte[] signatureDer) {
        try {
            return Sm2Signer.verify(key, Sm2Signer.defaultId(), data, Sm2Signature.fromDer(signatureDer));
        } catch (GmCryptoException | IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * True when the signature verifies over either message. In GB/T 32918.2 §7.1 the point
     * (x1, y1) = [s]G + [t]P does not depend on the message, so it is computed once and
     * r = e + x1 mod n checked for both digests e.
     */
    protected static boolean verifyEither(Sm2PublicKey key, byte[] signatureDer, byte[] first, byte[] second) {
        Sm2Signature sig;
        try {
            sig = Sm2Signature.fromDer(signatureDer);
        } catch (GmCryptoException | IllegalArgumentException e) {
            return false;
        }
        BigInteger n = io.gmgate.crypto.Sm2Curve.N;
        BigInteger t = sig.r().add(sig.s()).mod(n);
        if (t.signum() == 0) {
            return false;
        }
        org.bouncycastle.math.ec.ECPoint p = org.bouncycastle.math.ec.ECAlgorithms.sumOfTwoMultiplies(
                io.gmgate.crypto.Sm2Curve.G, sig.s(), key.point(), t).normalize();
        if (p.isInfinity()) {
            return false;
        }
        BigInteger x1 = p.getAffineXCoord().toBigInteger();
        byte[] z = Sm2Signer.z(key, Sm2Signer.defaultId());
        for (byte[] message : new byte[][] {first, second}) {
            BigInteger e = new BigInteger(1, Sm3.digest(z, message));
            if (e.add(x1).mod(n).equals(sig.r())) {
                return true;
            }
        }
        return false;
    }

    protected static List<X509CertificateHolder> parseCertificates(List<byte[]> ders) {
        List<X509CertificateHolder> out = new ArrayList<>();
        for (byte[] der : ders) {
            try {
                out.add(io.gmgate.crypto.EncodedCertificate.parse(der));
            } catch (java.io.IOException | RuntimeException e) {
                throw new TlcpException(TlcpErrors.PEER_CERTIFICATE_UNTRUSTED, Alert.BAD_CERTIFICATE,
                        "a certificate in the peer's list is not DER X.509");
            }
        }
        return out;
    }

    /** In [sign, enc?, CA…] the second entry is the enc certificate unless it is a CA certificate. */
    protected static Optional<X509CertificateHolder> encOf(List<X509CertificateHolder> chain) {
        if (chain.size() < 2) {
            return Optional.empty();
        }
        X509CertificateHolder second = chain.get(1);
        BasicConstraints bc = BasicConstraints.fromExtensions(second.getExtensions());
        return bc != null && bc.isCA() ? Optional.empty() : Optional.of(second);
    }

    protected static List<X509CertificateHolder> othersOf(List<X509CertificateHolder> chain) {
        int from = encOf(chain).isPresent() ? 2 : 1;
        return chain.size() > from ? chain.subList(from, chain.size()) : List.of();
    }

    protected static Sm2PublicKey keyOf(X509CertificateHolder cert) {
        try {
            return PeerKeys.of(cert);
        } catch (GmCryptoException | IllegalArgumentException e) {
            throw new TlcpException(TlcpErrors.PEER_CERTIFICATE_UNTRUSTED, Alert.UNSUPPORTED_CERTIFICATE,
                    cert.getSubject() + " does not carry an SM2 public key");
        }
    }

    // --- what the engine reports ---

    /** The gmt_unix_time in the first four bytes of the server's random (what a client can learn of the server's clock). */
    public final java.util.Optional<Instant> serverHelloTime() {
        if (serverRandom == null) {
            return java.util.Optional.empty();
        }
        long t = (serverRandom[0] & 0xFFL) << 24 | (serverRandom[1] & 0xFFL) << 16 | (serverRandom[2] & 0xFFL) << 8
                | serverRandom[3] & 0xFFL;
        return java.util.Optional.of(Instant.ofEpochSecond(t));
    }

    public final CipherSuite suite() {
        return suite;
    }

    public final List<X509CertificateHolder> peerChain() {
        return peerChain;
    }

    public final boolean resumed() {
        return resumed;
    }

    public final Optional<SessionState> session(Instant created) {
        if (master == null || sessionId.length == 0) {
            return Optional.empty();
        }
        List<byte[]> ders = new ArrayList<>();
        for (X509CertificateHolder c : peerChain) {
            try {
                ders.add(c.getEncoded());
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return Optional.of(new SessionState(sessionId, suite, master, ders, created));
    }
}
