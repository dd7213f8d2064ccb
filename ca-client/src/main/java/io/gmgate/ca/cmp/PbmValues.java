package io.gmgate.ca.cmp;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.iana.IANAObjectIdentifiers;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.crmf.CRMFException;
import org.bouncycastle.cert.crmf.PKMACValuesCalculator;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * The one-way function and MAC behind BouncyCastle's {@code PKMACBuilder}, from BouncyCastle's
 * lightweight digests: SM3 and HMAC-SM3 without a JCA provider (bcpkix 1.84 ships only a JCA
 * calculator), plus the SHA-256 / SHA-1 pairs that OpenSSL peers use.
 */
final class PbmValues implements PKMACValuesCalculator {

    private ASN1ObjectIdentifier owf;
    private ASN1ObjectIdentifier mac;

    @Override
    public void setup(AlgorithmIdentifier owfAlg, AlgorithmIdentifier macAlg) throws CRMFException {
        digest(owfAlg.getAlgorithm());
        macDigest(macAlg.getAlgorithm());
        this.owf = owfAlg.getAlgorithm();
        this.mac = macAlg.getAlgorithm();
    }

    @Override
    public byte[] calculateDigest(byte[] data) throws CRMFException {
        Digest d = digest(owf);
        d.update(data, 0, data.length);
        byte[] out = new byte[d.getDigestSize()];
        d.doFinal(out, 0);
        return out;
    }

    @Override
    public byte[] calculateMac(byte[] key, byte[] data) throws CRMFException {
        HMac hmac = new HMac(macDigest(mac));
        hmac.init(new KeyParameter(key));
        hmac.update(data, 0, data.length);
        byte[] out = new byte[hmac.getMacSize()];
        hmac.doFinal(out, 0);
        return out;
    }

    static Digest digest(ASN1ObjectIdentifier oid) throws CRMFException {
        if (GMObjectIdentifiers.sm3.equals(oid)) {
            return new SM3Digest();
        } else if (NISTObjectIdentifiers.id_sha256.equals(oid)) {
            return new SHA256Digest();
        } else if (OIWObjectIdentifiers.idSHA1.equals(oid)) {
            return new SHA1Digest();
        }
        throw new CRMFException("PBM one-way function " + oid + " is not SM3, SHA-256 or SHA-1");
    }

    static Digest macDigest(ASN1ObjectIdentifier oid) throws CRMFException {
        if (GMObjectIdentifiers.hmac_sm3.equals(oid)) {
            return new SM3Digest();
        } else if (PKCSObjectIdentifiers.id_hmacWithSHA256.equals(oid)) {
            return new SHA256Digest();
        } else if (IANAObjectIdentifiers.hmacSHA1.equals(oid) || PKCSObjectIdentifiers.id_hmacWithSHA1.equals(oid)) {
            return new SHA1Digest();
        }
        throw new CRMFException("PBM MAC " + oid + " is not HMAC-SM3, HMAC-SHA256 or HMAC-SHA1");
    }
}
