package io.gmgate.tlcp;

import java.util.Optional;

/** The four TLCP suites of GB/T 38636-2020 §6.4.5.2.1 that the clearing houses ask for. */
public enum CipherSuite {
    ECC_SM4_CBC_SM3(0xE013, false, false),
    ECC_SM4_GCM_SM3(0xE053, false, true),
    ECDHE_SM4_CBC_SM3(0xE011, true, false),
    ECDHE_SM4_GCM_SM3(0xE051, true, true);

    public final int id;
    /** SM2 key exchange with ephemeral keys (GB/T 32918.3); otherwise SM2-encrypted pre-master secret. */
    public final boolean ecdhe;
    /** SM4-GCM records; otherwise SM4-CBC with HMAC-SM3. */
    public final boolean gcm;

    CipherSuite(int id, boolean ecdhe, boolean gcm) {
        this.id = id;
        this.ecdhe = ecdhe;
        this.gcm = gcm;
    }

    public static Optional<CipherSuite> byId(int id) {
        for (CipherSuite s : values()) {
            if (s.id == id) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
