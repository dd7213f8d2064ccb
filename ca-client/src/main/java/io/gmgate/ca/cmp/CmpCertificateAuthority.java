package io.gmgate.ca.cmp;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

import io.gmgate.ca.CaErrors;
import io.gmgate.ca.CaException;
import io.gmgate.ca.CertificateAuthority;
import io.gmgate.ca.CertificateProfile;
import io.gmgate.ca.CertificateStatus;
import io.gmgate.ca.IssueRequest;
import io.gmgate.ca.IssuedCertificates;
import io.gmgate.ca.RevocationReason;
import io.gmgate.ca.Sm2Verification;
import io.gmgate.crypto.GmPem;
import io.gmgate.crypto.Sm2PublicKey;
import io.gmgate.crypto.Sm3;

/**
 * An external CA over CMP, shaped to gmgate's double certificates (design §7). CMP asks for one key
 * per transaction, so a double certificate takes two:
 * <ol>
 * <li>the sign certificate: p10cr with the terminal's co-signed PKCS#10 as it is (its signature is
 *     the proof of possession), or on renewal a kur naming the old certificate, raVerified because
 *     gmgate, as the RA, has just checked that same PKCS#10;</li>
 * <li>the encryption certificate: cr for the key the terminal generated with the cosign server
 *     (raVerified), or for a key the CA generates and returns encrypted to the sign key.</li>
 * </ol>
 * Transaction IDs are derived from the request id, so repeating a request (a renewal code, a retry
 * after a lost answer) repeats the same transactions, which gmgate's own CMP server answers with the
 * certificates it already issued.
 */
public final class CmpCertificateAuthority implements CertificateAuthority {

    private final CmpCaConfig config;
    private final CmpClient client;

    public CmpCertificateAuthority(CmpCaConfig config, CmpTransport transport, Clock clock) {
        this.config = config;
        this.client = new CmpClient(new CmpClient.Settings(config.name(), config.caName(), config.protection(),
                config.serverCertificate(), 5, java.time.Duration.ofSeconds(5)), transport, clock);
    }

    /** Over HTTP (RFC 6712) with the configured time limits. */
    public static CmpCertificateAuthority overHttp(CmpCaConfig config, Clock clock) {
        return new CmpCertificateAuthority(config,
                new HttpCmpTransport(config.name(), config.url(), config.connectTimeout(), config.requestTimeout()), clock);
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public IssuedCertificates issue(IssueRequest request) {
        Sm2PublicKey signKey = checkedKey(request);
        CmpClient.Enrolment sign = client.p10cr(request.csr(), transactionId(request, "sign"));
        return pair(request, sign, signKey);
    }

    @Override
    public IssuedCertificates renew(BigInteger oldSignSerial, IssueRequest request) {
        Sm2PublicKey signKey = checkedKey(request);
        X500Name subject = csr(request).getSubject();
        CmpClient.Enrolment sign = client.request(new CertRequest(CertRequest.Kind.KUR, subject, signKey, CertificateProfile.SIGN,
                null, true, oldSignSerial, null), transactionId(request, "sign"));
        return pair(request, sign, signKey);
    }

    private IssuedCertificates pair(IssueRequest request, CmpClient.Enrolment sign, Sm2PublicKey signKey) {
        X500Name subject = sign.certificate().getSubject();
        CertRequest encRequest = request.encPublicKey() != null
                ? CertRequest.raVerified(CertRequest.Kind.CR, subject, request.encPublicKey(), CertificateProfile.ENCRYPTION)
                : CertRequest.caGenerated(CertRequest.Kind.CR, subject, CertificateProfile.ENCRYPTION, signKey);
        CmpClient.Enrolment enc = client.request(encRequest, transactionId(request, "enc"));
        if (request.encPublicKey() == null && enc.envelope() == null) {
            throw new CaException(CaErrors.CA_PROTOCOL, "[CA " + name() + "] generated no encryption key");
        }
        checkIssuer(sign.certificate());
        checkIssuer(enc.certificate());
        List<X509CertificateHolder> chain = new ArrayList<>(sign.caCertificates());
        return new IssuedCertificates(sign.certificate(), enc.certificate(), enc.envelope(), chain, name());
    }

    @Override
    public void revoke(BigInteger serial, RevocationReason reason) {
        client.revoke(config.caName(), serial, reason);
    }

    /** CMP has no status query; gmgate answers status from its own records (see FailoverCertificateAuthority). */
    @Override
    public CertificateStatus status(BigInteger serial) {
        throw new CaException(CaErrors.UNSUPPORTED, "[CA " + name() + "] CMP offers no status query; ask gmgate's records or the CA's CRL");
    }

    private Sm2PublicKey checkedKey(IssueRequest request) {
        return Sm2Verification.verifiedKey(csr(request));
    }

    private PKCS10CertificationRequest csr(IssueRequest request) {
        try {
            return new PKCS10CertificationRequest(request.csr());
        } catch (IOException | RuntimeException e) {
            throw new CaException(CaErrors.REQUEST_REJECTED, "certificate request is not a DER PKCS#10 request", e);
        }
    }

    private void checkIssuer(X509CertificateHolder cert) {
        X509CertificateHolder issuer = config.issuerCertificate();
        if (issuer != null && (!cert.getIssuer().equals(issuer.getSubject())
                || !Sm2Verification.verify(cert, GmPem.publicKey(issuer)))) {
            throw new CaException(CaErrors.CA_PROTOCOL, "[CA " + name() + "] returned certificate "
                    + cert.getSerialNumber().toString(16) + " that " + issuer.getSubject() + " did not sign");
        }
    }

    /** 128 bits of SM3(requestId / part): unpredictable, yet the same when the same request is repeated. */
    static byte[] transactionId(IssueRequest request, String part) {
        byte[] h = Sm3.digest((request.requestId() + "/" + part).getBytes(StandardCharsets.UTF_8));
        return Arrays.copyOf(h, CmpMessages.NONCE_BYTES);
    }

    @Override
    public String toString() {
        return "CmpCertificateAuthority[" + name() + " " + config.url() + "]";
    }
}
