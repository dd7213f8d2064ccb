package io.gmgate.ca.cmp;

import java.math.BigInteger;
import java.util.Optional;

import org.bouncycastle.asn1.cmp.PKIBody;
import org.bouncycastle.asn1.cmp.PKIFailureInfo;
import org.bouncycastle.asn1.cmp.PKIStatus;
import org.bouncycastle.asn1.cmp.PKIStatusInfo;
import org.bouncycastle.asn1.cmp.RevDetails;
import org.bouncycastle.asn1.cmp.RevRepContentBuilder;
import org.bouncycastle.asn1.cmp.RevReqContent;
import org.bouncycastle.asn1.crmf.CertId;
import org.bouncycastle.asn1.crmf.CertTemplate;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;

import io.gmgate.ca.EmbeddedCa;
import io.gmgate.ca.PgCaStore;
import io.gmgate.ca.RevocationReason;
import io.gmgate.ca.cmp.CmpServer.Principal;
import io.gmgate.ca.cmp.CmpServer.Refusal;

/** The CMP server's revocation requests (rr → rp, RFC 4210 §5.3.9–§5.3.10), one status per certificate. */
final class CmpRevocations {

    private final EmbeddedCa ca;

    CmpRevocations(EmbeddedCa ca) {
        this.ca = ca;
    }

    PKIBody revoke(PKIBody body, Principal who) {
        RevRepContentBuilder rp = new RevRepContentBuilder();
        for (RevDetails details : RevReqContent.getInstance(body.getContent()).toRevDetailsArray()) {
            CertTemplate t = details.getCertDetails();
            if (t.getSerialNumber() == null || t.getIssuer() == null) {
                throw new Refusal(PKIFailureInfo.badCertTemplate, "rr must name issuer and serial number");
            }
            BigInteger serial = t.getSerialNumber().getValue();
            CertId id = new CertId(new GeneralName(t.getIssuer()), serial);
            if (!t.getIssuer().equals(ca.issuingCertificate().getSubject())) {
                rp.add(CmpMessages.rejection(PKIFailureInfo.badCertId, "not issued by " + ca.issuingCertificate().getSubject()), id);
                continue;
            }
            Optional<PgCaStore.Row> row = ca.issued(serial);
            if (row.isEmpty()) {
                rp.add(CmpMessages.rejection(PKIFailureInfo.badCertId, "no certificate " + serial.toString(16) + " was issued here"), id);
                continue;
            }
            CmpCertRequests.authorise(who, row.get());
            ca.revoke(serial, reason(details));
            rp.add(new PKIStatusInfo(PKIStatus.granted), id);
        }
        return new PKIBody(PKIBody.TYPE_REVOCATION_REP, rp.build());
    }

    private static RevocationReason reason(RevDetails details) {
        if (details.getCrlEntryDetails() == null || details.getCrlEntryDetails().getExtension(Extension.reasonCode) == null) {
            return RevocationReason.UNSPECIFIED;
        }
        CRLReason r = CRLReason.getInstance(details.getCrlEntryDetails().getExtension(Extension.reasonCode).getParsedValue());
        return RevocationReason.of(r.getValue().intValue());
    }
}
