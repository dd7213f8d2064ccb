package io.gmgate.ca.cmp;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.Arrays;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.cmp.CMPObjectIdentifiers;
import org.bouncycastle.asn1.cmp.PBMParameter;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.iana.IANAObjectIdentifiers;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.operator.GenericKey;
import org.bouncycastle.operator.MacCalculator;

import io.gmgate.ca.CaErrors;
import io.gmgate.ca.CaException;
import io.gmgate.crypto.GmRandom;

/**
 * CMP password-based MAC protection (RFC 4210 §5.1.3.1, PBMParameter of RFC 4211 §4.4):
 * K = OWF^n(secret ‖ salt), then MAC_K(ProtectedPart). Written out here rather than through
 * BouncyCastle's PKMACBuilder so the shared secret is bytes we zero, the iteration count a peer
 * asks for is capped (a server must not spend minutes on one request), and SM3 / HMAC-SM3 work
 * without a JCA provider.
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

    /** A calculator for ProtectedPKIMessageBuilder; the secret is copied into the derived key only. */
    public static MacCalculator calculator(AlgorithmIdentifier protectionAlg, byte[] secret) {
        PBMParameter p = parameters(protectionAlg);
        byte[] key = deriveKey(p, secret);
        return new MacCalculator() {
            private final ByteArrayOutputStream data = new ByteArrayOutputStream();

            @Override
            public AlgorithmIdentifier getAlgorithmIdentifier() {
                return protectionAlg;
            }

            @Override
            public OutputStream getOutputStream() {
                return data;
            }

            @Override
            public byte[] getMac() {
                try {
                    return mac(p.getMac().getAlgorithm(), key, data.toByteArray());
                } finally {
                    Arrays.fill(key, (byte) 0);
                }
            }

            @Override
            public GenericKey getKey() {
                throw new UnsupportedOperationException("the PBM key is not exported");
            }
        };
    }

    /** Checks a received PBM value over the DER of ProtectedPart in constant time. */
    public static boolean verify(AlgorithmIdentifier protectionAlg, byte[] secret, byte[] protectedPart, byte[] received) {
        PBMParameter p = parameters(protectionAlg);
        byte[] key = deriveKey(p, secret);
        try {
            return MessageDigest.isEqual(mac(p.getMac().getAlgorithm(), key, protectedPart), received);
        } finally {
            Arrays.fill(key, (byte) 0);
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
            digest(p.getOwf().getAlgorithm());
            macDigest(p.getMac().getAlgorithm());
            return p;
        } catch (CaException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CaException(CaErrors.CA_PROTOCOL, "PBM parameters cannot be read: " + e.getMessage(), e);
        }
    }

    private static byte[] deriveKey(PBMParameter p, byte[] secret) {
        Digest owf = digest(p.getOwf().getAlgorithm());
        byte[] salt = p.getSalt().getOctets();
        byte[] k = new byte[owf.getDigestSize()];
        owf.update(secret, 0, secret.length);
        owf.update(salt, 0, salt.length);
        owf.doFinal(k, 0);
        for (int i = 1; i < p.getIterationCount().intValueExact(); i++) {
            owf.update(k, 0, k.length);
            owf.doFinal(k, 0);
        }
        return k;
    }

    private static byte[] mac(ASN1ObjectIdentifier macOid, byte[] key, byte[] data) {
        HMac hmac = new HMac(macDigest(macOid));
        hmac.init(new KeyParameter(key));
        hmac.update(data, 0, data.length);
        byte[] out = new byte[hmac.getMacSize()];
        hmac.doFinal(out, 0);
        return out;
    }

    private static Digest digest(ASN1ObjectIdentifier oid) {
        if (GMObjectIdentifiers.sm3.equals(oid)) {
            return new SM3Digest();
        } else if (NISTObjectIdentifiers.id_sha256.equals(oid)) {
            return new SHA256Digest();
        } else if (OIWObjectIdentifiers.idSHA1.equals(oid)) {
            return new SHA1Digest();
        }
        throw new CaException(CaErrors.CA_PROTOCOL, "PBM one-way function " + oid + " is not SM3, SHA-256 or SHA-1");
    }

    private static Digest macDigest(ASN1ObjectIdentifier oid) {
        if (GMObjectIdentifiers.hmac_sm3.equals(oid)) {
            return new SM3Digest();
        } else if (PKCSObjectIdentifiers.id_hmacWithSHA256.equals(oid)) {
            return new SHA256Digest();
        } else if (IANAObjectIdentifiers.hmacSHA1.equals(oid) || PKCSObjectIdentifiers.id_hmacWithSHA1.equals(oid)) {
            return new SHA1Digest();
        }
        throw new CaException(CaErrors.CA_PROTOCOL, "PBM MAC " + oid + " is not HMAC-SM3, HMAC-SHA256 or HMAC-SHA1");
    }
}
