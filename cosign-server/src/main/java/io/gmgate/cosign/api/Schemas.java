package io.gmgate.cosign.api;

import java.util.Map;
import java.util.Set;

/**
 * Every request schema of API v1, one per operation path (docs/cosign-api.md §5). Sizes are those of
 * gm-crypto's two-party messages (§1 table).
 */
public final class Schemas {

    public static final String ACCOUNT = "[A-Za-z0-9._@-]+";
    public static final String DEVICE = "[A-Za-z0-9._-]+";
    public static final String TOKEN = "[A-Za-z0-9_-]+";

    public static final int KEYGEN_REQUEST_BYTES = 162;
    public static final int SIGN_REQUEST_BYTES = 97;
    public static final int POINT_BYTES = 65;
    public static final int SCALAR_BYTES = 32;
    public static final int SIGNATURE_BYTES = 64;
    public static final int MAX_CSR_BYTES = 4096;
    public static final int MAX_ATTEMPT_CHARS = 200;

    /** Fields that differ between a request and its retry, left out of the idempotency digest. */
    public static final Set<String> ENVELOPE = Set.of("session", "device", "nonce", "confirm");

    public static final RequestSchema CONFIRM = RequestSchema.builder("confirm")
            .text("attempt", true, 1, MAX_ATTEMPT_CHARS, TOKEN)
            .binary("signature", true, SIGNATURE_BYTES)
            .build();

    /** session, device, nonce and the optional piggybacked confirmation. */
    public static final RequestSchema AUTHENTICATED = RequestSchema.builder("request")
            .text("session", true, 43, 43, TOKEN)
            .text("device", true, 1, 64, DEVICE)
            .text("nonce", true, 22, 22, TOKEN)
            .nested("confirm", false, CONFIRM)
            .build();

    public static final RequestSchema LOGIN = RequestSchema.builder("login")
            .text("account", true, 1, 64, ACCOUNT)
            .text("password", true, 1, 256, null)
            .text("device", true, 1, 64, DEVICE)
            .build();

    /** No session: terminals fetch the firm's signed access policy before they log in (design §5). */
    public static final RequestSchema POLICY = RequestSchema.builder("policy").build();

    public static final RequestSchema LOGOUT = AUTHENTICATED.extend("logout").build();

    public static final RequestSchema NONCES = RequestSchema.builder("nonces")
            .text("session", true, 43, 43, TOKEN)
            .text("device", true, 1, 64, DEVICE)
            .integer("count", false, 1, 16)
            .build();

    public static final RequestSchema ENROL_KEYS = AUTHENTICATED.extend("enrol/keys")
            .text("idempotencyKey", true, 16, 64, TOKEN)
            .binary("sign", true, KEYGEN_REQUEST_BYTES)
            .binary("enc", true, KEYGEN_REQUEST_BYTES)
            .build();

    public static final RequestSchema ENROL_CERTIFICATE = AUTHENTICATED.extend("enrol/certificate")
            .text("idempotencyKey", true, 16, 64, TOKEN)
            .text("enrolmentId", true, 1, 64, TOKEN)
            .binary("csr", true, 1, MAX_CSR_BYTES)
            .build();

    public static final RequestSchema SIGN = AUTHENTICATED.extend("sign")
            .integer("keyId", true, 1, Long.MAX_VALUE)
            .binary("request", true, SIGN_REQUEST_BYTES)
            .build();

    public static final RequestSchema SIGN_CONFIRM = RequestSchema.builder("sign/confirm")
            .text("session", true, 43, 43, TOKEN)
            .text("device", true, 1, 64, DEVICE)
            .text("nonce", true, 22, 22, TOKEN)
            .nested("confirm", true, CONFIRM)
            .build();

    public static final RequestSchema DECRYPT = AUTHENTICATED.extend("decrypt")
            .integer("keyId", true, 1, Long.MAX_VALUE)
            .binary("request", true, POINT_BYTES)
            .build();

    public static final RequestSchema RENEW_START = AUTHENTICATED.extend("renew/start")
            .integer("keyId", true, 1, Long.MAX_VALUE)
            .build();

    public static final RequestSchema RENEW_FINISH = AUTHENTICATED.extend("renew/finish")
            .text("renewalCode", true, 8, 64, TOKEN)
            .binary("csr", true, 1, MAX_CSR_BYTES)
            .build();

    public static final RequestSchema PIN_RESET_START = AUTHENTICATED.extend("pin/reset/start")
            .text("password", true, 1, 256, null)
            .build();

    /** B = [ρ]H(PIN) of the PIN OPRF (design §11): one counted PIN try. */
    public static final RequestSchema PIN_EVALUATE = AUTHENTICATED.extend("pin/evaluate")
            .binary("blinded", true, POINT_BYTES)
            .build();

    public static final RequestSchema PIN_RESET_FINISH = AUTHENTICATED.extend("pin/reset/finish")
            .integer("signKeyId", true, 1, Long.MAX_VALUE)
            .integer("encKeyId", true, 1, Long.MAX_VALUE)
            .binary("sign", true, SCALAR_BYTES)
            .binary("enc", true, SCALAR_BYTES)
            .build();

    public static final RequestSchema DEVICES_ADD = AUTHENTICATED.extend("devices/add")
            .text("idempotencyKey", true, 16, 64, TOKEN)
            .text("newDevice", true, 1, 64, DEVICE)
            .binary("sign", true, SCALAR_BYTES)
            .binary("enc", true, SCALAR_BYTES)
            .build();

    public static final RequestSchema LOCK = AUTHENTICATED.extend("lock")
            .text("target", false, 1, 64, DEVICE)
            .text("reason", false, 1, 200, null)
            .build();

    public static final RequestSchema UNLOCK = AUTHENTICATED.extend("unlock")
            .text("password", true, 1, 256, null)
            .text("target", false, 1, 64, DEVICE)
            .build();

    public static final RequestSchema REVOKE = AUTHENTICATED.extend("revoke")
            .text("password", true, 1, 256, null)
            .text("scope", true, 6, 11, "device|certificate")
            .text("target", false, 1, 64, DEVICE)
            .text("reason", false, 1, 40, "[A-Za-z]+")
            .build();

    public static final RequestSchema STATUS = AUTHENTICATED.extend("status").build();

    public static final RequestSchema PASSWORD = AUTHENTICATED.extend("password")
            .text("oldPassword", true, 1, 256, null)
            .text("newPassword", true, 1, 256, null)
            .build();

    /** Path (after /v1/) → schema. */
    public static final Map<String, RequestSchema> BY_PATH = Map.ofEntries(
            Map.entry("login", LOGIN),
            Map.entry("policy", POLICY),
            Map.entry("logout", LOGOUT),
            Map.entry("nonces", NONCES),
            Map.entry("enrol/keys", ENROL_KEYS),
            Map.entry("enrol/certificate", ENROL_CERTIFICATE),
            Map.entry("sign", SIGN),
            Map.entry("sign/confirm", SIGN_CONFIRM),
            Map.entry("decrypt", DECRYPT),
            Map.entry("renew/start", RENEW_START),
            Map.entry("renew/finish", RENEW_FINISH),
            Map.entry("pin/reset/start", PIN_RESET_START),
            Map.entry("pin/reset/finish", PIN_RESET_FINISH),
            Map.entry("pin/evaluate", PIN_EVALUATE),
            Map.entry("devices/add", DEVICES_ADD),
            Map.entry("lock", LOCK),
            Map.entry("unlock", UNLOCK),
            Map.entry("revoke", REVOKE),
            Map.entry("status", STATUS),
            Map.entry("password", PASSWORD));

    private Schemas() {
    }
}
