package io.gmgate.ca.cmp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.Date;
import java.util.HexFormat;
import java.util.Map;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.cmp.CMPObjectIdentifiers;
import org.bouncycastle.asn1.cmp.ErrorMsgContent;
import org.bouncycastle.asn1.cmp.GenRepContent;
import org.bouncycastle.asn1.cmp.InfoTypeAndValue;
import org.bouncycastle.asn1.cmp.PKIBody;
import org.bouncycastle.asn1.cmp.PKIFailureInfo;
import org.bouncycastle.asn1.cmp.PKIHeader;
import org.bouncycastle.asn1.cmp.PKIHeaderBuilder;
import org.bouncycastle.asn1.cmp.PKIMessage;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.cmp.CMPException;
import org.bouncycastle.cert.cmp.ProtectedPKIMessageBuilder;

import io.gmgate.ca.CaErrors;
import io.gmgate.ca.CaException;
import io.gmgate.ca.CertificateStatus;
import io.gmgate.ca.EmbeddedCa;
import io.gmgate.ca.PgCaStore;
import io.gmgate.ca.Sm2ContentSigner;
import io.gmgate.ca.Sm2Verification;
import io.gmgate.crypto.GmPem;

/**
 * The embedded CA as a CMP server (RFC 4210; RFC 9483's profile), so any CMP client — `openssl cmp`,
 * an EJBCA RA, gmgate's own {@link CmpClient} — can enrol against it. Sans-IO: DER request in, DER
 * answer out; {@link CmpHttpListener} (or a Vert.x route in the gateway) carries the bytes.
 *
 * <p>A peer never sees an exception: whatever goes wrong becomes a CMP error message whose
 * PKIFailureInfo and text say what (RFC 4210 §5.3.21), protected whenever the requester was
 * authenticated. Certificates are issued one per message and keyed by (client, transactionID,
 * certReqId), so a retried transaction returns the same certificate.
 */
public final class CmpServer {

    private static final System.Logger LOG = System.getLogger(CmpServer.class.getName());

    /** Who sent a request: a MAC client, or the holder of a certificate this CA issued. */
    record Principal(String account, CmpServerSettings.Client client, X509CertificateHolder signer) {
        boolean ra() {
            return client != null && client.ra();
        }
    }

    /** A refusal with its RFC 4210 §5.2.3 failure bit; becomes an error message, never a stack trace. */
    static final class Refusal extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int failInfo;

        Refusal(int failInfo, String text) {
            super(text, null, false, false);
            this.failInfo = failInfo;
        }
    }

    private final EmbeddedCa ca;
    private final Map<String, CmpServerSettings.Client> clients;
    private final boolean signedRequests;
    private final Clock clock;
    private final CmpCertRequests certRequests;
    private final CmpRevocations revocations;

    public CmpServer(EmbeddedCa ca, CmpServerSettings settings, Clock clock) {
        this.ca = ca;
        this.clients = settings.byReference();
        this.signedRequests = settings.signedRequests();
        this.clock = clock;
        this.certRequests = new CmpCertRequests(ca);
        this.revocations = new CmpRevocations(ca);
    }

    public String name() {
        return ca.name();
    }

    /** Answers one DER PKIMessage. Never throws for anything the peer sent. */
    public byte[] handle(byte[] requestDer) {
        PKIMessage request;
        try {
            request = PKIMessage.getInstance(ASN1Primitive.fromByteArray(requestDer));
            request.getHeader().getTransactionID();
        } catch (IOException | RuntimeException e) {
            return encode(unprotected(null, new Refusal(PKIFailureInfo.badDataFormat, "not a DER PKIMessage")));
        }
        Principal who = null;
        try {
            checkHeader(request.getHeader());
            who = authenticate(request);
            return encode(respond(request, who, dispatch(request, who)));
        } catch (Refusal r) {
            log(request, who, r.getMessage());
            return encode(who == null ? unprotected(request, r) : respond(request, who, error(r)));
        } catch (CaException e) {
            log(request, who, e.getMessage());
            Refusal r = refusalFor(e);
            return encode(who == null ? unprotected(request, r) : respond(request, who, error(r)));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "[CA " + name() + "] CMP request failed inside the CA", e);
            Refusal r = new Refusal(PKIFailureInfo.systemFailure, "internal error; the CA operator has the details");
            return encode(who == null ? unprotected(request, r) : respond(request, who, error(r)));
        }
    }

    private void log(PKIMessage request, Principal who, String why) {
        LOG.log(System.Logger.Level.INFO, () -> "[CA " + name() + "] refused CMP " + CmpMessages.bodyName(request.getBody().getType())
                + " from " + (who == null ? "an unauthenticated client" : who.account()) + ": " + why);
    }

    private static void checkHeader(PKIHeader h) {
        int pvno = h.getPvno().intValueExact();
        if (pvno != PKIHeader.CMP_2000 && pvno != 3) {  // 3: RFC 9480 §2.20
            throw new Refusal(PKIFailureInfo.unsupportedVersion, "pvno " + pvno + " is not 2 or 3");
        }
        byte[] tid = CmpMessages.octets(h.getTransactionID());
        byte[] nonce = CmpMessages.octets(h.getSenderNonce());
        if (tid == null || tid.length < CmpMessages.NONCE_BYTES || tid.length > 64) {
            throw new Refusal(PKIFailureInfo.badRequest, "transactionID must have 128 to 512 bits");
        }
        if (nonce == null || nonce.length < CmpMessages.NONCE_BYTES) {
            throw new Refusal(PKIFailureInfo.badSenderNonce, "senderNonce must have at least 128 bits");
        }
    }

    private Principal authenticate(PKIMessage m) {
        if (m.getProtection() == null) {
            throw new Refusal(PKIFailureInfo.badMessageCheck, "request is not protected");
        }
        if (PasswordBasedMac.isPbm(CmpMessages.protectionAlg(m))) {
            byte[] kid = CmpMessages.octets(m.getHeader().getSenderKID());
            CmpServerSettings.Client client = kid == null ? null : clients.get(new String(kid, StandardCharsets.UTF_8));
            if (client == null) {
                throw new Refusal(PKIFailureInfo.badMessageCheck, "unknown senderKID");
            }
            byte[] secret = client.credentials().secret();
            try {
                if (!CmpMessages.verifyMac(m, secret)) {
                    throw new Refusal(PKIFailureInfo.badMessageCheck, "MAC check failed for reference " + client.reference());
                }
            } catch (CaException e) {
                throw new Refusal(PKIFailureInfo.badAlg, e.getMessage());
            } finally {
                Arrays.fill(secret, (byte) 0);
            }
            return new Principal(client.reference(), client, null);
        }
        if (!signedRequests) {
            throw new Refusal(PKIFailureInfo.badAlg, "this CA accepts MAC-protected requests only");
        }
        X509CertificateHolder signer = CmpMessages.extraCerts(m).stream().findFirst()
                .orElseThrow(() -> new Refusal(PKIFailureInfo.signerNotTrusted, "signed request without its certificate in extraCerts"));
        if (!signer.getIssuer().equals(ca.issuingCertificate().getSubject())
                || !Sm2Verification.verify(signer, GmPem.publicKey(ca.issuingCertificate()))
                || !signer.isValidOn(Date.from(clock.instant()))
                || ca.status(signer.getSerialNumber()).state() != CertificateStatus.State.GOOD) {
            throw new Refusal(PKIFailureInfo.signerNotTrusted, "signer certificate was not issued here, expired or was revoked");
        }
        if (!CmpMessages.verifySignature(m, GmPem.publicKey(signer))) {
            throw new Refusal(PKIFailureInfo.badMessageCheck, "signature check failed");
        }
        String account = ca.issued(signer.getSerialNumber()).map(PgCaStore.Row::account).orElse("cert:" + signer.getSerialNumber());
        return new Principal(account, null, signer);
    }

    private PKIBody dispatch(PKIMessage m, Principal who) {
        PKIBody body = m.getBody();
        String tid = HexFormat.of().formatHex(m.getHeader().getTransactionID().getOctets());
        return switch (body.getType()) {
            case PKIBody.TYPE_INIT_REQ, PKIBody.TYPE_CERT_REQ, PKIBody.TYPE_KEY_UPDATE_REQ -> certRequests.crmf(body, who, tid);
            case PKIBody.TYPE_P10_CERT_REQ -> certRequests.p10cr(body, who, tid);
            case PKIBody.TYPE_CERT_CONFIRM -> certRequests.confirm(body, who, tid);
            case PKIBody.TYPE_REVOCATION_REQ -> revocations.revoke(body, who);
            case PKIBody.TYPE_GEN_MSG -> new PKIBody(PKIBody.TYPE_GEN_REP, GenRepContent.getInstance(new DERSequence()));
            default -> throw new Refusal(PKIFailureInfo.badRequest, CmpMessages.bodyName(body.getType()) + " is not offered here");
        };
    }

    static PKIBody error(Refusal r) {
        return new PKIBody(PKIBody.TYPE_ERROR, new ErrorMsgContent(CmpMessages.rejection(r.failInfo, r.getMessage())));
    }

    private static Refusal refusalFor(CaException e) {
        int bit;
        if (e.errorCode().equals(CaErrors.REQUEST_REJECTED)) {
            bit = PKIFailureInfo.badRequest;
        } else if (e.errorCode().equals(CaErrors.CERTIFICATE_REVOKED)) {
            bit = PKIFailureInfo.certRevoked;
        } else if (e.errorCode().equals(CaErrors.UNKNOWN_CERTIFICATE)) {
            bit = PKIFailureInfo.badCertId;
        } else if (e.errorCode().retryable()) {
            bit = PKIFailureInfo.systemUnavail;
        } else {
            bit = PKIFailureInfo.systemFailure;
        }
        return new Refusal(bit, e.getMessage());
    }

    /** The answer, protected like the request: the client's secret, or the issuing CA's SM2 key (RFC 4210 §5.1.3). */
    private PKIMessage respond(PKIMessage request, Principal who, PKIBody body) {
        PKIHeader h = request.getHeader();
        ProtectedPKIMessageBuilder b = new ProtectedPKIMessageBuilder(h.getPvno().intValueExact(),
                new GeneralName(ca.issuingCertificate().getSubject()), h.getSender())
                .setTransactionID(h.getTransactionID().getOctets()).setSenderNonce(CmpMessages.nonce())
                .setRecipNonce(h.getSenderNonce().getOctets()).setMessageTime(Date.from(clock.instant())).setBody(body);
        if (implicitConfirmAsked(h) && isCertificateAnswer(body)) {
            b.addGeneralInfo(new InfoTypeAndValue(CMPObjectIdentifiers.it_implicitConfirm, DERNull.INSTANCE));
        }
        for (X509CertificateHolder c : ca.chain()) {
            b.addCMPCertificate(c);  // RFC 9483 §4.1.1: the chain of what we issue, and of our signature
        }
        try {
            if (who.client() != null) {
                b.setSenderKID(who.client().credentials().senderKid());
                byte[] secret = who.client().credentials().secret();
                try {
                    return b.build(PasswordBasedMac.calculator(PasswordBasedMac.respondingTo(CmpMessages.protectionAlg(request)),
                            secret)).toASN1Structure();
                } finally {
                    Arrays.fill(secret, (byte) 0);
                }
            }
            return b.build(new Sm2ContentSigner(ca.issuingSigner())).toASN1Structure();
        } catch (CMPException e) {
            throw new IllegalStateException("cannot protect a CMP answer", e);
        }
    }

    private static boolean isCertificateAnswer(PKIBody body) {
        return body.getType() == PKIBody.TYPE_INIT_REP || body.getType() == PKIBody.TYPE_CERT_REP
                || body.getType() == PKIBody.TYPE_KEY_UPDATE_REP;
    }

    static boolean implicitConfirmAsked(PKIHeader h) {
        InfoTypeAndValue[] info = h.getGeneralInfo();
        return info != null && Arrays.stream(info).anyMatch(i -> CMPObjectIdentifiers.it_implicitConfirm.equals(i.getInfoType()));
    }

    /** An error we cannot protect: the requester was not authenticated (RFC 4210 §5.1.3 allows it; clients treat it with care). */
    private PKIMessage unprotected(PKIMessage request, Refusal r) {
        GeneralName nobody = new GeneralName(new X500Name(new org.bouncycastle.asn1.x500.RDN[0]));
        PKIHeaderBuilder b = new PKIHeaderBuilder(PKIHeader.CMP_2000, new GeneralName(ca.issuingCertificate().getSubject()),
                request == null ? nobody : request.getHeader().getSender());
        b.setSenderNonce(CmpMessages.nonce()).setMessageTime(new ASN1GeneralizedTime(Date.from(clock.instant())));
        if (request != null) {
            b.setTransactionID(request.getHeader().getTransactionID()).setRecipNonce(request.getHeader().getSenderNonce());
        }
        return new PKIMessage(b.build(), error(r));
    }

    private static byte[] encode(PKIMessage m) {
        try {
            return m.getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "CmpServer[" + name() + ", clients=" + clients.keySet() + ", signedRequests=" + signedRequests + "]";
    }
}
