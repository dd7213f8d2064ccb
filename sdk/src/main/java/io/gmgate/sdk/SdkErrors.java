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

    private SdkErrors() {
    }
}
