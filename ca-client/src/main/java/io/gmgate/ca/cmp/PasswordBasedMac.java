package io.gmgate.ca.cmp;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.cmp.CMPObjectIdentifiers;
import org.bouncycastle.asn1.cmp.PBMParameter;
import org.bouncycastle.asn1.cmp.PKIMessage;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.iana.IANAObjectIdentifiers;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.cmp.CMPException;
import org.bouncycastle.cert.cmp.GeneralPKIMessage;
import org.bouncycastle.cert.cmp.ProtectedPKIMessage;
import org.bouncycastle.cert.crmf.CRMFException;
import org.bouncycastle.cert.crmf.PKMACBuilder;
import org.bouncycastle.operator.MacCalculator;

import io.gmgate.ca.CaErrors;
import io.gmgate.ca.CaException;
import io.gmgate.crypto.GmRandom;

/**
 * CMP password-based MAC protection (RFC 4210 §5.1.3.1, PBMParameter of RFC 4211 §4.4) through
 * BouncyCastle's {@code PKMACBuilder} and {@code ProtectedPKIMessage.verify}, with {@link PbmValues}
 * for SM3 / HMAC-SM3 without a JCA provider. What stays here is policy: which algorithms we offer,
 * the iteration count we send and the most we compute for a peer (a server must not spend minutes
 * on one request), and that the shared secret is UTF-8 text.
 */
public final class PasswordBasedMac {

    /** One-way function and MAC pairs that peers use. */
    public enum Algorithm {
        /** GM default: SM3 and HMAC-SM3 (GB/T 32905; OID 1.2.156.10197.1.401.3.1). */
        SM3(GMObjectIdentifiers.sm3, GMObjectIdentifiers.hmac_sm3),
        /** RFC 9481 §6.1.1's recommendation. */
        SHA256(NISTObjectIdentifiers.id_sha256, PKCSObjectIdentifiers.id_hmacWithSHA256),
        /** OpenSSL 3's `openssl cmp` default (-digest sha256 -mac hmac-sha1). */
        SHA256_HMAC_SHA1(NISTObjectIdentifiers.id_sha256, IANAObjectIdentifiers.hmacSHA1);

        final ASN1ObjectIdentifier owf;
        final ASN1ObjectIdentifier mac;

        Algorithm(ASN1ObjectIdentifier owf, ASN1ObjectIdentifier mac) {
            this.owf = owf;
            this.mac = mac;
        }
    }

    /** Iterations we send; RFC 9481 §6.1.1 asks for at least 100, OpenSSL sends 500. */
    public static final int DEFAULT_ITERATIONS = 10_000;
    /** Most iterations we compute for a peer's message. */
    public static final int MAX_ITERATIONS = 100_000;
    private static final int SALT_BYTES = 16;

    private PasswordBasedMac() {
    }

    /** Fresh parameters (random salt) for protecting an outgoing message. */
    public static AlgorithmIdentifier newParameters(Algorithm algorithm, int iterations) {
        if (iterations < 100 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("PBM iteration count must be 100.." + MAX_ITERATIONS + ", got " + iterations);
        }
        PBMParameter p = new PBMParameter(GmRandom.bytes(SALT_BYTES), new AlgorithmIdentifier(algorithm.owf), iterations,
                new AlgorithmIdentifier(algorithm.mac, DERNull.INSTANCE));
        return new AlgorithmIdentifier(CMPObjectIdentifiers.passwordBasedMac, p);
    }

    /** Fresh salt, same one-way function, MAC and iteration count as a peer's message (a reply's protection). */
    public static AlgorithmIdentifier respondingTo(AlgorithmIdentifier peerProtectionAlg) {
        PBMParameter peer = parameters(peerProtectionAlg);
        PBMParameter p = new PBMParameter(GmRandom.bytes(SALT_BYTES), peer.getOwf(), peer.getIterationCount().intValueExact(),
                peer.getMac());
        return new AlgorithmIdentifier(CMPObjectIdentifiers.passwordBasedMac, p);
    }

    /** True if this protection algorithm is PBM (else it is a signature). */
    public static boolean isPbm(AlgorithmIdentifier protectionAlg) {
        return protectionAlg != null && CMPObjectIdentifiers.passwordBasedMac.equals(protectionAlg.getAlgorithm());
    }

    /** A calculator for ProtectedPKIMessageBuilder: BouncyCastle's PKMACBuilder over these parameters. */
    public static MacCalculator calculator(AlgorithmIdentifier protectionAlg, byte[] secret) {
        PBMParameter p = parameters(protectionAlg);
        char[] password = password(secret);
        try {
            return builder().setParameters(p).build(password);
        } catch (CRMFException e) {
            throw new CaException(CaErrors.CA_PROTOCOL, "cannot compute a PBM: " + e.getMessage(), e);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /**
     * Checks a received message's PBM with {@code ProtectedPKIMessage.verify}, which compares in
     * constant time. Parameters we refuse to compute (unknown algorithms, too many iterations) fail
     * with CA-level protocol errors before any work.
     */
    static boolean verify(PKIMessage m, byte[] secret) {
        parameters(m.getHeader().getProtectionAlg());
        char[] password = password(secret);
        try {
            return new ProtectedPKIMessage(new GeneralPKIMessage(m)).verify(builder(), password);
        } catch (CMPException | IllegalArgumentException e) {
            throw new CaException(CaErrors.CA_PROTOCOL, "PBM check could not run: " + e.getMessage(), e);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /** True if the shared secret is UTF-8 text, the only kind PKMACBuilder (and `openssl cmp -secret`) hashes as given. */
    static boolean isText(byte[] secret) {
        try {
            Arrays.fill(password(secret), '\0');
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static PKMACBuilder builder() {
        return new PKMACBuilder(new PbmValues(), MAX_ITERATIONS).setSaltLength(SALT_BYTES);
    }

    /** PKMACBuilder takes a char[] and hashes its UTF-8 bytes: decode strictly so those are the secret's bytes. */
    private static char[] password(byte[] secret) {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(secret));
            char[] out = new char[chars.remaining()];
            chars.get(out);
            Arrays.fill(chars.array(), '\0');
            return out;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("a CMP shared secret must be UTF-8 text");
        }
    }

    private static PBMParameter parameters(AlgorithmIdentifier alg) {
        if (!isPbm(alg)) {
            throw new CaException(CaErrors.CA_PROTOCOL, "protection algorithm " + (alg == null ? "none" : alg.getAlgorithm())
                    + " is not passwordBasedMac");
        }
        try {
            PBMParameter p = PBMParameter.getInstance(alg.getParameters());
            int n = p.getIterationCount().intValueExact();
            if (n < 1 || n > MAX_ITERATIONS) {
                throw new CaException(CaErrors.CA_PROTOCOL, "PBM iteration count " + p.getIterationCount().getValue()
                        + " is outside 1.." + MAX_ITERATIONS);
            }
            new PbmValues().setup(p.getOwf(), p.getMac());
            return p;
        } catch (CaException e) {
            throw e;
        } catch (CRMFException e) {
            throw new CaException(CaErrors.CA_PROTOCOL, e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new CaException(CaErrors.CA_PROTOCOL, "PBM parameters cannot be read: " + e.getMessage(), e);
        }
    }
}
