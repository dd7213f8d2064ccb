package io.gmgate.sdk;

import io.gmgate.error.ErrorCode;

/** CERT-400.., NET-400..: what the terminal side reports (design §8). */
public final class SdkErrors {

    public static final ErrorCode STORE_CORRUPT = new ErrorCode("CERT-400",
            "the local certificate store is damaged: its checksum, format or version is wrong",
            "restore the store directory from a copy, or apply for a new certificate (re-enrol)", false);

    public static final ErrorCode STORE_UNWRITABLE = new ErrorCode("CERT-401",
            "the local certificate store could not be written; the previous copy is kept",
            "check the store directory's permissions and free disk space, then retry", true);

    public static final ErrorCode NOT_ENROLLED = new ErrorCode("CERT-402",
            "this device holds no certificate and key share yet",
            "apply for a certificate first (gmgate client enroll)", false);

    public static final ErrorCode ALREADY_ENROLLED = new ErrorCode("CERT-404",
            "this device already holds a valid certificate, so it cannot apply again",
            "log in as usual; to replace the certificate, renew it or revoke it first", false);

    public static final ErrorCode WRONG_PIN = new ErrorCode("CERT-403",
            "the PIN is wrong: the co-signature made with it did not verify",
            "enter the PIN again; after 6 wrong attempts the key locks and only a PIN reset (identity check) unlocks it", false);

    public static final ErrorCode ROOTS_MISSING = new ErrorCode("CERT-405",
            "the trust roots file is missing, unreadable, holds no certificate, or a root in it is not valid now",
            "install the firm's current root certificate (PEM) at the path the configuration names (client.roots)", false);

    public static final ErrorCode CERT_EXPIRING = new ErrorCode("CERT-406",
            "this device's certificate expires soon",
            "renew it now (gmgate client renew); online renewal is open from 90 days before expiry", false);

    public static final ErrorCode CERT_EXPIRED = new ErrorCode("CERT-407",
            "this device's certificate has expired (or is not valid yet)",
            "renew online if it expired less than 90 days ago (gmgate client renew), else apply again (re-enrol)", false);

    public static final ErrorCode CLOCK_SKEW = new ErrorCode("CERT-408",
            "this terminal's clock differs from the gateway's by more than the allowed skew",
            "set the clock (NTP): certificates, renewal windows and access policies are checked against it", false);

    public static final ErrorCode UNREACHABLE = new ErrorCode("NET-400",
            "no gateway endpoint of any configured site accepted a connection in time",
            "check the network and the endpoint list (gmgate doctor tests each one); the SDK tries them all in order", true);

    public static final ErrorCode BAD_HTTP = new ErrorCode("NET-401",
            "the gateway answered with a malformed or oversized HTTP response",
            "check that the endpoint is a gmgate :8090 listener and nothing in between rewrites traffic", true);

    public static final ErrorCode COSIGN_UNREACHABLE = new ErrorCode("COSIGN-400",
            "the gateway's enrolment listener was reached but the co-signing service behind it did not answer "
                    + "(every cosign node down), even after one retry on a fresh connection",
            "retry later; if it lasts, two-way login and co-signing are unavailable: trade one-way when the firm's signed "
                    + "access policy says ONE_WAY", true);



    public static final ErrorCode NO_ALLOWED_PATH = new ErrorCode("MODE-402",
            "no way to the trading front that the signed access policy allows worked (each path's failure is listed)",
            "act on the first path's failure; if the firm has announced an emergency, fetch its newest signed policy", true);

    private SdkErrors() {
    }
}
