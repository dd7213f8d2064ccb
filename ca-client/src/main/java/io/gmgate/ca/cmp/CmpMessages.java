package io.gmgate.ca.cmp;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.cmp.CMPCertificate;
import org.bouncycastle.asn1.cmp.PKIBody;
import org.bouncycastle.asn1.cmp.PKIFailureInfo;
import org.bouncycastle.asn1.cmp.PKIFreeText;
import org.bouncycastle.asn1.cmp.PKIMessage;
import org.bouncycastle.asn1.cmp.PKIStatusInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.cmp.ProtectedPKIMessage;

import io.gmgate.ca.CaErrors;
import io.gmgate.ca.CaException;
import io.gmgate.ca.Sm2Verification;
import io.gmgate.crypto.GmRandom;
import io.gmgate.crypto.Sm2PublicKey;

/** What the CMP client and server share: parsing, protection checks and readable status (RFC 4210 §5). */
final class CmpMessages {

    static final String CONTENT_TYPE = "application/pkixcmp";  // RFC 6712 §3.4
    static final int NONCE_BYTES = 16;                          // RFC 4210 §5.1.1: 128 bits

    private static final String[] BODY_NAMES = {"ir", "ip", "cr", "cp", "p10cr", "popdecc", "popdecr", "kur", "kup",
        "krr", "krp", "rr", "rp", "ccr", "ccp", "ckuann", "cann", "rann", "crlann", "pkiconf", "nested", "genm", "genp",
        "error", "certConf", "pollReq", "pollRep"};

    private static final String[] FAILURE_NAMES = {"badAlg", "badMessageCheck", "badRequest", "badTime", "badCertId",
        "badDataFormat", "wrongAuthority", "incorrectData", "missingTimeStamp", "badPOP", "certRevoked", "certConfirmed",
        "wrongIntegrity", "badRecipientNonce", "timeNotAvailable", "unacceptedPolicy", "unacceptedExtension",
        "addInfoNotAvailable", "badSenderNonce", "badCertTemplate", "signerNotTrusted", "transactionIdInUse",
        "unsupportedVersion", "notAuthorized", "systemUnavail", "systemFailure", "duplicateCertReq"};

    private static final String[] STATUS_NAMES = {"accepted", "grantedWithMods", "rejection", "waiting",
        "revocationWarning", "revocationNotification", "keyUpdateWarning"};

    private CmpMessages() {
    }

    static PKIMessage parse(byte[] der, String who) {
        try {
            return PKIMessage.getInstance(org.bouncycastle.asn1.ASN1Primitive.fromByteArray(der));
        } catch (IOException | RuntimeException e) {
            throw new CaException(CaErrors.CA_PROTOCOL, who + " sent " + der.length + " bytes that are not a DER PKIMessage", e);
        }
    }

    static byte[] nonce() {
        return GmRandom.bytes(NONCE_BYTES);
    }

    static String bodyName(int type) {
        return type >= 0 && type < BODY_NAMES.length ? BODY_NAMES[type] : "body#" + type;
    }

    static byte[] octets(ASN1OctetString s) {
        return s == null ? null : s.getOctets();
    }

    static AlgorithmIdentifier protectionAlg(PKIMessage m) {
        return m.getHeader().getProtectionAlg();
    }

    /** PBM check with the shared secret (RFC 4210 §5.1.3.1). */
    static boolean verifyMac(PKIMessage m, byte[] secret) {
        if (m.getProtection() == null || !PasswordBasedMac.isPbm(protectionAlg(m))) {
            return false;
        }
        return PasswordBasedMac.verify(m, secret);
    }

    /** SM3withSM2 check (default ID) with the signer's key (RFC 4210 §5.1.3.3). */
    static boolean verifySignature(PKIMessage m, Sm2PublicKey signer) {
        if (m.getProtection() == null || PasswordBasedMac.isPbm(protectionAlg(m))) {
            return false;
        }
        try {
            return new ProtectedPKIMessage(new org.bouncycastle.cert.cmp.GeneralPKIMessage(m))
                    .verify(Sm2Verification.provider(signer));
        } catch (Exception e) {
            return false;
        }
    }

    static List<X509CertificateHolder> extraCerts(PKIMessage m) {
        List<X509CertificateHolder> out = new ArrayList<>();
        CMPCertificate[] certs = m.getExtraCerts();
        if (certs != null) {
            for (CMPCertificate c : certs) {
                if (c.isX509v3PKCert()) {
                    out.add(new X509CertificateHolder(c.getX509v3PKCert()));
                }
            }
        }
        return out;
    }

    static PKIStatusInfo rejection(int failureBit, String text) {
        return new PKIStatusInfo(org.bouncycastle.asn1.cmp.PKIStatus.rejection, new PKIFreeText(text),
                new PKIFailureInfo(failureBit));
    }

    /** "rejection (badPOP): text" — what a person needs from a PKIStatusInfo (RFC 4210 §5.2.3). */
    static String describe(PKIStatusInfo info) {
        if (info == null) {
            return "no status";
        }
        int status = info.getStatus().intValue();
        StringBuilder s = new StringBuilder(status >= 0 && status < STATUS_NAMES.length ? STATUS_NAMES[status] : "status " + status);
        if (info.getFailInfo() != null) {
            byte[] bits = info.getFailInfo().getBytes();  // named BIT STRING: bit 0 is the first bit of the first octet
            List<String> names = new ArrayList<>();
            for (int i = 0; i < FAILURE_NAMES.length && i / 8 < bits.length; i++) {
                if ((bits[i / 8] & (0x80 >>> (i % 8))) != 0) {
                    names.add(FAILURE_NAMES[i]);
                }
            }
            s.append(" (").append(String.join(", ", names)).append(')');
        }
        PKIFreeText text = info.getStatusString();
        if (text != null) {
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < text.size(); i++) {
                lines.add(text.getStringAtUTF8(i).getString());
            }
            s.append(": ").append(String.join("; ", lines));
        }
        return s.toString();
    }
}
