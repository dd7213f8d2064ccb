package io.gmgate.ca.cmp;

import java.io.IOException;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.crmf.EncryptedValue;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

import io.gmgate.ca.CaErrors;
import io.gmgate.ca.CaException;
import io.gmgate.ca.Sm2EnvelopedKey;
import io.gmgate.crypto.Sm2Ciphertext;
import io.gmgate.crypto.Sm2PublicKey;

/**
 * A CA-generated SM2 key in CMP. GM/T 0009's SM2EnvelopedKey and CRMF's EncryptedValue (RFC 4211
 * §2.1, used by CertifiedKeyPair.privateKey in RFC 4210 §5.3.4) carry the same four things, so the
 * mapping is field for field:
 * <pre>
 *   symAlgID               → symmAlg      (SM4-ECB)
 *   symEncryptedKey        → encSymmKey   (the SM2Cipher DER, SM2-encrypted to the protocolEncrKey)
 *   (SM2 encryption)       → keyAlg       (sm2encrypt, GM/T 0006)
 *   sm2EncryptedPrivateKey → encValue     (SM4-ECB(d))
 *   sm2PublicKey           → the issued certificate's key; intendedAlg says EC on sm2p256v1
 * </pre>
 */
final class EnvelopedKeys {

    private static final AlgorithmIdentifier SM2_KEY =
            new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, GMObjectIdentifiers.sm2p256v1);

    private EnvelopedKeys() {
    }

    static EncryptedValue toEncryptedValue(Sm2EnvelopedKey key) {
        try {
            return new EncryptedValue(SM2_KEY, new AlgorithmIdentifier(GMObjectIdentifiers.sms4_ecb),
                    new DERBitString(key.encryptedKey().toDer()), new AlgorithmIdentifier(GMObjectIdentifiers.sm2encrypt),
                    null, new DERBitString(key.encryptedPrivateKey()));
        } catch (RuntimeException e) {
            throw new CaException(CaErrors.ENVELOPE_INVALID, "cannot encode the enveloped key: " + e.getMessage(), e);
        }
    }

    static Sm2EnvelopedKey fromEncryptedValue(EncryptedValue value, Sm2PublicKey certifiedKey) {
        if (value.getSymmAlg() == null || !GMObjectIdentifiers.sms4_ecb.equals(value.getSymmAlg().getAlgorithm())) {
            throw new CaException(CaErrors.ENVELOPE_INVALID, "CA-generated key is not SM4-ECB encrypted: "
                    + (value.getSymmAlg() == null ? "no symmAlg" : value.getSymmAlg().getAlgorithm()));
        }
        if (value.getKeyAlg() != null && !GMObjectIdentifiers.sm2encrypt.equals(value.getKeyAlg().getAlgorithm())) {
            throw new CaException(CaErrors.ENVELOPE_INVALID, "CA-generated key's SM4 key is not SM2-encrypted: "
                    + value.getKeyAlg().getAlgorithm());
        }
        if (value.getEncSymmKey() == null) {
            throw new CaException(CaErrors.ENVELOPE_INVALID, "CA-generated key comes without its encrypted SM4 key");
        }
        try {
            Sm2Ciphertext ct = Sm2Ciphertext.fromDer(value.getEncSymmKey().getOctets());
            return new Sm2EnvelopedKey(ct, certifiedKey, value.getEncValue().getOctets());
        } catch (CaException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CaException(CaErrors.ENVELOPE_INVALID, "CA-generated key cannot be read: " + e.getMessage(), e);
        }
    }

    static byte[] der(EncryptedValue v) {
        try {
            return v.getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
