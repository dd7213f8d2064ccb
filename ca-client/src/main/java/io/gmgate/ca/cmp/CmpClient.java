package io.gmgate.ca.cmp;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Objects;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cmp.CMPCertificate;
import org.bouncycastle.asn1.cmp.CMPObjectIdentifiers;
import org.bouncycastle.asn1.cmp.CertRepMessage;
import org.bouncycastle.asn1.cmp.CertResponse;
import org.bouncycastle.asn1.cmp.CertifiedKeyPair;
import org.bouncycastle.asn1.cmp.ErrorMsgContent;
import org.bouncycastle.asn1.cmp.InfoTypeAndValue;
import org.bouncycastle.asn1.cmp.PKIBody;
import org.bouncycastle.asn1.cmp.PKIHeader;
import org.bouncycastle.asn1.cmp.PKIMessage;
import org.bouncycastle.asn1.cmp.PKIStatus;
import org.bouncycastle.asn1.cmp.PKIStatusInfo;
import org.bouncycastle.asn1.cmp.PollRepContent;
import org.bouncycastle.asn1.cmp.PollReqContent;
import org.bouncycastle.asn1.cmp.RevDetails;
import org.bouncycastle.asn1.cmp.RevRepContent;
import org.bouncycastle.asn1.cmp.RevReqContent;
import org.bouncycastle.asn1.crmf.CRMFObjectIdentifiers;
import org.bouncycastle.asn1.crmf.CertId;
import org.bouncycastle.asn1.crmf.CertReqMessages;
import org.bouncycastle.asn1.crmf.CertTemplateBuilder;
import org.bouncycastle.asn1.crmf.EncryptedKey;
import org.bouncycastle.asn1.crmf.EncryptedValue;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.cmp.CMPException;
import org.bouncycastle.cert.cmp.CertificateConfirmationContentBuilder;
import org.bouncycastle.cert.cmp.ProtectedPKIMessageBuilder;
import org.bouncycastle.cert.crmf.CRMFException;
import org.bouncycastle.cert.crmf.CertificateRequestMessageBuilder;
import org.bouncycastle.cert.crmf.Control;
import org.bouncycastle.operator.bc.BcDigestCalculatorProvider;

import io.gmgate.ca.CaErrors;
import io.gmgate.ca.CaException;
import io.gmgate.ca.RevocationReason;
import io.gmgate.ca.Sm2ContentSigner;
import io.gmgate.ca.Sm2EnvelopedKey;
import io.gmgate.crypto.GmPem;
import io.gmgate.crypto.Sm2PublicKey;

/**
 * A CMP client (RFC 4210, with RFC 9483's lightweight profile where it narrows choices): one
 * transaction per call — request, protected answer, confirmation — over a {@link CmpTransport}.
 * Every answer must carry our transaction ID and nonce and pass its protection check before its
 * body is read; a negative status becomes CA-106 with the CA's own words, a bad answer CA-105.
 */
public final class CmpClient {

    /** A certificate the CA issued, the CA-generated key if any, and the CA certificates it sent along. */
    public record Enrolment(X509CertificateHolder certificate, Sm2EnvelopedKey envelope, List<X509CertificateHolder> caCertificates) {
        public Enrolment {
            caCertificates = List.copyOf(caCertificates);
        }
    }

    /** What the client needs to know about its CA. serverCertificate (may be null) pins the signer of signed answers. */
    public record Settings(String name, X500Name recipient, CmpProtection protection, X509CertificateHolder serverCertificate,
                           int maxPolls, Duration maxPollWait) {
        public Settings {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(recipient, "recipient");
            Objects.requireNonNull(protection, "protection");
            if (maxPolls < 0 || maxPollWait.isNegative()) {
                throw new IllegalArgumentException("polling bounds must not be negative");
            }
        }

        public static Settings of(String name, X500Name recipient, CmpProtection protection) {
            return new Settings(name, recipient, protection, null, 5, Duration.ofSeconds(5));
        }

        public Settings withServerCertificate(X509CertificateHolder cert) {
            return new Settings(name, recipient, protection, cert, maxPolls, maxPollWait);
        }
    }

    static final int CERT_REQ_ID = 0;

    private final Settings settings;
    private final CmpTransport transport;
    private final Clock clock;

    public CmpClient(Settings settings, CmpTransport transport, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public String name() {
        return settings.name();
    }

    /** p10cr (RFC 4210 §5.3.4): the PKCS#10 request as it is, its self-signature the proof of possession. */
    public Enrolment p10cr(byte[] csrDer, byte[] transactionId) {
        CertificationRequest csr;
        try {
            csr = CertificationRequest.getInstance(csrDer);
        } catch (RuntimeException e) {
            throw new CaException(CaErrors.REQUEST_REJECTED, "[CA " + name() + "] p10cr needs a DER PKCS#10 request", e);
        }
        Sm2PublicKey key = null;
        try {
            key = GmPem.publicKeyFromSpki(csr.getCertificationRequestInfo().getSubjectPublicKeyInfo());
        } catch (RuntimeException e) {
            // not SM2: the CA decides; we only check the returned key against an SM2 request
        }
        Transaction t = new Transaction(transactionId);
        PKIMessage answer = t.send(new PKIBody(PKIBody.TYPE_P10_CERT_REQ, csr), PKIBody.TYPE_CERT_REP);
        return t.certificate(answer, key, true);
    }

    /** ir, cr or kur with one CRMF request (certReqId 0). */
    public Enrolment request(CertRequest request, byte[] transactionId) {
        Transaction t = new Transaction(transactionId);
        PKIMessage answer = t.send(new PKIBody(request.kind().request, crmf(request)), request.kind().response);
        return t.certificate(answer, request.publicKey(), false);
    }

    /** rr (RFC 4210 §5.3.9) for one certificate of {@code issuer}. */
    public void revoke(X500Name issuer, BigInteger serial, RevocationReason reason) {
        CertTemplateBuilder template = new CertTemplateBuilder().setIssuer(issuer).setSerialNumber(new ASN1Integer(serial));
        Extensions entry;
        try {
            entry = new Extensions(new Extension(Extension.reasonCode, false,
                    CRLReason.lookup(reason.code()).getEncoded(ASN1Encoding.DER)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Transaction t = new Transaction(CmpMessages.nonce());
        PKIMessage answer = t.send(new PKIBody(PKIBody.TYPE_REVOCATION_REQ,
                new RevReqContent(new RevDetails(template.build(), entry))), PKIBody.TYPE_REVOCATION_REP);
        PKIStatusInfo[] status = RevRepContent.getInstance(answer.getBody().getContent()).getStatus();
        if (status.length != 1) {
            throw t.protocol("rp carries " + status.length + " statuses for one revocation");
        }
        int s = status[0].getStatus().intValue();
        if (s != PKIStatus.GRANTED && s != PKIStatus.GRANTED_WITH_MODS) {
            throw new CaException(CaErrors.CA_REFUSED, "[CA " + name() + "] refused to revoke " + serial.toString(16) + ": "
                    + CmpMessages.describe(status[0]));
        }
    }

    private CertReqMessages crmf(CertRequest r) {
        CertificateRequestMessageBuilder b = new CertificateRequestMessageBuilder(BigInteger.valueOf(CERT_REQ_ID));
        if (r.subject() != null) {
            b.setSubject(r.subject());
        }
        if (r.publicKey() != null) {
            b.setPublicKey(GmPem.toSpki(r.publicKey()));
        } else {
            // RFC 9483 §4.1.6.1: the algorithm alone, with an empty key, asks the CA to generate the key
            b.setPublicKey(new SubjectPublicKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey,
                    GMObjectIdentifiers.sm2p256v1), new byte[0]));
            b.addControl(control(CRMFObjectIdentifiers.id_regCtrl_protocolEncrKey, GmPem.toSpki(r.protocolEncrKey())));
        }
        try {
            b.addExtension(Extension.keyUsage, true, r.usage().keyUsage());
            if (r.usage().role().isPresent()) {  // the same profile as ours: clientAuth for a trader (design §4 step 5)
                b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(r.usage().role().get()));
            }
        } catch (CertIOException e) {
            throw new IllegalStateException(e);
        }
        if (r.oldSerial() != null) {
            b.addControl(control(CRMFObjectIdentifiers.id_regCtrl_oldCertID,
                    new CertId(new GeneralName(settings.recipient()), r.oldSerial())));
        }
        if (r.popSigner() != null) {
            if (r.subject() == null) {
                b.setAuthInfoSender(settings.protection().sender());  // RFC 4211 §4.1: no subject, so POPOSigningKeyInput names us
            }
            b.setProofOfPossessionSigningKeySigner(new Sm2ContentSigner(r.popSigner()));
        } else if (r.raVerified()) {
            b.setProofOfPossessionRaVerified();
        }
        try {
            return new CertReqMessages(b.build().toASN1Structure());
        } catch (CRMFException e) {
            throw new CaException(CaErrors.REQUEST_REJECTED, "[CA " + name() + "] cannot build the CRMF request: " + e.getMessage(), e);
        }
    }

    private static Control control(ASN1ObjectIdentifier type, ASN1Encodable value) {
        return new Control() {
            @Override
            public ASN1ObjectIdentifier getType() {
                return type;
            }

            @Override
            public ASN1Encodable getValue() {
                return value;
            }
        };
    }

    /** One CMP transaction: a fixed transaction ID, a fresh nonce per message (RFC 4210 §5.1.1). */
    private final class Transaction {
        private final byte[] id;
        private byte[] lastNonce;
        private byte[] peerNonce;

        Transaction(byte[] id) {
            if (id == null || id.length < CmpMessages.NONCE_BYTES) {
                throw new IllegalArgumentException("transactionID must have at least 128 bits");
            }
            this.id = id.clone();
        }

        PKIMessage send(PKIBody body, int expected) {
            lastNonce = CmpMessages.nonce();
            ProtectedPKIMessageBuilder b = new ProtectedPKIMessageBuilder(PKIHeader.CMP_2000, settings.protection().sender(),
                    new GeneralName(settings.recipient()))
                    .setTransactionID(id).setSenderNonce(lastNonce).setSenderKID(settings.protection().senderKid())
                    .setMessageTime(Date.from(clock.instant())).setBody(body);
            if (peerNonce != null) {
                b.setRecipNonce(peerNonce);
            }
            byte[] der;
            try {
                der = settings.protection().protect(b).toASN1Structure().getEncoded(ASN1Encoding.DER);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            PKIMessage answer = CmpMessages.parse(transport.exchange(der), "[CA " + name() + "]");
            check(answer, body.getType(), expected);
            peerNonce = CmpMessages.octets(answer.getHeader().getSenderNonce());
            return answer;
        }

        private void check(PKIMessage answer, int requestType, int expected) {
            PKIHeader h = answer.getHeader();
            int type = answer.getBody().getType();
            boolean authentic = authentic(answer);
            if (type == PKIBody.TYPE_ERROR) {
                String what = CmpMessages.describe(ErrorMsgContent.getInstance(answer.getBody().getContent()).getPKIStatusInfo());
                if (!authentic) {
                    // the CA could not authenticate us (or we it): an unprotected error is all it can send
                    throw protocol("unprotected error answer to " + CmpMessages.bodyName(requestType) + ": " + what);
                }
                throw new CaException(CaErrors.CA_REFUSED, "[CA " + name() + "] error answer to "
                        + CmpMessages.bodyName(requestType) + ": " + what);
            }
            if (!authentic) {
                throw protocol(CmpMessages.bodyName(type) + " fails its protection check");
            }
            if (!Arrays.equals(id, CmpMessages.octets(h.getTransactionID()))) {
                throw protocol(CmpMessages.bodyName(type) + " carries another transactionID");
            }
            if (!Arrays.equals(lastNonce, CmpMessages.octets(h.getRecipNonce()))) {
                throw protocol(CmpMessages.bodyName(type) + " does not echo our senderNonce (replay?)");
            }
            if (type != expected && !(type == PKIBody.TYPE_POLL_REP && requestType == PKIBody.TYPE_POLL_REQ)) {
                throw protocol("answered " + CmpMessages.bodyName(requestType) + " with " + CmpMessages.bodyName(type)
                        + ", expected " + CmpMessages.bodyName(expected));
            }
        }

        private boolean authentic(PKIMessage answer) {
            if (answer.getProtection() == null) {
                return false;
            }
            if (PasswordBasedMac.isPbm(CmpMessages.protectionAlg(answer))) {
                if (!(settings.protection() instanceof CmpProtection.Mac mac)) {
                    return false;
                }
                byte[] secret = mac.secret();
                try {
                    return CmpMessages.verifyMac(answer, secret);
                } catch (CaException e) {
                    return false;
                } finally {
                    Arrays.fill(secret, (byte) 0);
                }
            }
            X509CertificateHolder signer = settings.serverCertificate();
            return signer != null && CmpMessages.verifySignature(answer, GmPem.publicKey(signer));
        }

        Enrolment certificate(PKIMessage answer, Sm2PublicKey requestedKey, boolean p10cr) {
            int finalType = answer.getBody().getType();
            for (int round = 0; ; round++) {
                CertRepMessage rep = CertRepMessage.getInstance(answer.getBody().getContent());
                CertResponse response = response(rep, p10cr);
                int status = response.getStatus().getStatus().intValue();
                if (status == PKIStatus.WAITING && round < settings.maxPolls()) {
                    answer = pollUntilAnswered(response.getCertReqId(), finalType);
                    continue;
                }
                if (status == PKIStatus.WAITING) {
                    throw new CaException(CaErrors.CA_UNAVAILABLE, "[CA " + name() + "] still processing after "
                            + round + " polls; try again later");
                }
                if (status != PKIStatus.GRANTED && status != PKIStatus.GRANTED_WITH_MODS) {
                    throw new CaException(CaErrors.CA_REFUSED, "[CA " + name() + "] refused the certificate request: "
                            + CmpMessages.describe(response.getStatus()));
                }
                return accept(answer, rep, response, requestedKey);
            }
        }

        private CertResponse response(CertRepMessage rep, boolean p10cr) {
            CertResponse[] all = rep.getResponse();
            if (all.length != 1) {
                throw protocol("answer carries " + all.length + " certificate responses for one request");
            }
            int id = all[0].getCertReqId().intValueExact();
            if (id != CERT_REQ_ID && !(p10cr && id == -1)) {  // RFC 9483 §4.1.4 uses -1 for p10cr
                throw protocol("answer is for certReqId " + id + ", we sent " + CERT_REQ_ID);
            }
            return all[0];
        }

        /** pollReq until the CA sends the certificate answer (RFC 4210 §5.3.22), waiting what it asks within bounds. */
        private PKIMessage pollUntilAnswered(ASN1Integer certReqId, int finalType) {
            for (int i = 0; i < settings.maxPolls(); i++) {
                PKIMessage answer = send(new PKIBody(PKIBody.TYPE_POLL_REQ, new PollReqContent(certReqId)), finalType);
                if (answer.getBody().getType() != PKIBody.TYPE_POLL_REP) {
                    return answer;
                }
                long seconds = PollRepContent.getInstance(answer.getBody().getContent()).getCheckAfter(0).longValueExact();
                try {
                    Thread.sleep(Math.min(Math.max(0, seconds) * 1000, settings.maxPollWait().toMillis()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CaException(CaErrors.CA_UNAVAILABLE, "[CA " + name() + "] interrupted while polling", e);
                }
            }
            throw new CaException(CaErrors.CA_UNAVAILABLE, "[CA " + name() + "] still processing after "
                    + settings.maxPolls() + " polls; try again later");
        }

        private Enrolment accept(PKIMessage answer, CertRepMessage rep, CertResponse response, Sm2PublicKey requestedKey) {
            CertifiedKeyPair pair = response.getCertifiedKeyPair();
            if (pair == null || pair.getCertOrEncCert().getCertificate() == null) {
                throw protocol("accepted the request but sent no plain certificate");
            }
            CMPCertificate cmpCert = pair.getCertOrEncCert().getCertificate();
            if (!cmpCert.isX509v3PKCert()) {
                throw protocol("sent a certificate that is not X.509");
            }
            X509CertificateHolder cert;
            try {
                cert = new X509CertificateHolder(cmpCert.getX509v3PKCert());
            } catch (RuntimeException e) {
                throw protocol("sent a certificate BouncyCastle cannot read: " + e.getMessage());
            }
            Sm2PublicKey certKey = null;
            try {
                certKey = GmPem.publicKey(cert);
            } catch (RuntimeException e) {
                if (requestedKey != null || pair.getPrivateKey() != null) {
                    throw protocol("issued a certificate without an SM2 key: " + e.getMessage());
                }
            }
            if (requestedKey != null && !requestedKey.equals(certKey)) {
                throw protocol("issued certificate " + cert.getSerialNumber().toString(16) + " for another public key");
            }
            Sm2EnvelopedKey envelope = null;
            EncryptedKey privateKey = pair.getPrivateKey();
            if (privateKey != null) {
                if (!privateKey.isEncryptedValue()) {
                    throw protocol("returned the generated key as CMS EnvelopedData; gmgate reads SM2 EncryptedValue");
                }
                envelope = EnvelopedKeys.fromEncryptedValue(EncryptedValue.getInstance(privateKey.getValue()), certKey);
            } else if (requestedKey == null) {
                throw protocol("was asked to generate the key but returned none");
            }
            List<X509CertificateHolder> ca = new ArrayList<>();
            CMPCertificate[] caPubs = rep.getCaPubs();
            if (caPubs != null) {
                for (CMPCertificate c : caPubs) {
                    ca.add(new X509CertificateHolder(c.getX509v3PKCert()));
                }
            }
            for (X509CertificateHolder c : CmpMessages.extraCerts(answer)) {
                if (!c.equals(cert) && !ca.contains(c)) {
                    ca.add(c);
                }
            }
            if (!implicitlyConfirmed(answer)) {
                confirm(cert, response.getCertReqId());
            }
            return new Enrolment(cert, envelope, ca);
        }

        private boolean implicitlyConfirmed(PKIMessage answer) {
            InfoTypeAndValue[] info = answer.getHeader().getGeneralInfo();
            if (info != null) {
                for (InfoTypeAndValue i : info) {
                    if (CMPObjectIdentifiers.it_implicitConfirm.equals(i.getInfoType())) {
                        return true;
                    }
                }
            }
            return false;
        }

        /** certConf with the certificate's hash (RFC 4210 §5.3.18), answered by pkiconf. */
        private void confirm(X509CertificateHolder cert, ASN1Integer certReqId) {
            try {
                PKIBody body = new PKIBody(PKIBody.TYPE_CERT_CONFIRM, new CertificateConfirmationContentBuilder()
                        .addAcceptedCertificate(cert, certReqId).build(new BcDigestCalculatorProvider()).toASN1Structure());
                send(body, PKIBody.TYPE_CONFIRM);
            } catch (CMPException e) {
                throw protocol("cannot hash certificate " + cert.getSerialNumber().toString(16) + " for certConf: " + e.getMessage());
            }
        }

        CaException protocol(String what) {
            return new CaException(CaErrors.CA_PROTOCOL, "[CA " + name() + "] " + what);
        }
    }

    @Override
    public String toString() {
        return "CmpClient[" + name() + " → " + settings.recipient() + ", " + settings.protection() + "]";
    }
}
