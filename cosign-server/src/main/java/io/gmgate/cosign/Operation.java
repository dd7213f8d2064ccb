package io.gmgate.cosign;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.gmgate.cosign.api.RequestSchema;
import io.gmgate.cosign.api.Schemas;

/**
 * The operations of API v1 (docs/cosign-api.md §5), each bound to its wire path, its request schema,
 * what a request must show before it runs, and the code that runs it. {@link CosignService} takes the
 * order of its checks from {@link #needs()}.
 */
enum Operation {

    LOGIN("login", Schemas.LOGIN, Needs.NOTHING, (h, r) -> Outcome.noNextNonce(h.sessions().login(r.fields(), r.address()))),
    POLICY("policy", Schemas.POLICY, Needs.NOTHING, (h, r) -> h.policy().signedPolicy()),
    NONCES("nonces", Schemas.NONCES, Needs.SESSION, (h, r) -> Outcome.noNextNonce(h.sessions().nonces(r.session(), r.fields()))),
    LOGOUT("logout", Schemas.LOGOUT, Needs.NONCE, (h, r) -> h.sessions().logout(r)),
    STATUS("status", Schemas.STATUS, Needs.NONCE, inSession((h, r) -> h.sessions().status(r))),
    PASSWORD("password", Schemas.PASSWORD, Needs.NONCE, (h, r) -> h.sessions().password(r)),
    SIGN("sign", Schemas.SIGN, Needs.NONCE_UNRESTRICTED, inSession((h, r) -> h.signing().sign(r))),
    SIGN_CONFIRM("sign/confirm", Schemas.SIGN_CONFIRM, Needs.NONCE_UNRESTRICTED, inSession((h, r) -> h.signing().confirmOnly(r))),
    DECRYPT("decrypt", Schemas.DECRYPT, Needs.NONCE_UNRESTRICTED, inSession((h, r) -> h.signing().decrypt(r))),
    PIN_EVALUATE("pin/evaluate", Schemas.PIN_EVALUATE, Needs.NONCE_UNRESTRICTED, inSession((h, r) -> h.signing().evaluatePin(r))),
    ENROL_KEYS("enrol/keys", Schemas.ENROL_KEYS, Needs.NONCE_UNRESTRICTED, inSession((h, r) -> h.enrolment().keys(r))),
    ENROL_CERTIFICATE("enrol/certificate", Schemas.ENROL_CERTIFICATE, Needs.NONCE_UNRESTRICTED,
            inSession((h, r) -> h.enrolment().certificate(r))),
    RENEW_START("renew/start", Schemas.RENEW_START, Needs.NONCE_UNRESTRICTED, inSession((h, r) -> h.enrolment().renewStart(r))),
    RENEW_FINISH("renew/finish", Schemas.RENEW_FINISH, Needs.NONCE_UNRESTRICTED, inSession((h, r) -> h.enrolment().renewFinish(r))),
    PIN_RESET_START("pin/reset/start", Schemas.PIN_RESET_START, Needs.NONCE_UNRESTRICTED,
            inSession((h, r) -> h.devices().pinResetStart(r))),
    PIN_RESET_FINISH("pin/reset/finish", Schemas.PIN_RESET_FINISH, Needs.NONCE_UNRESTRICTED,
            inSession((h, r) -> h.devices().pinResetFinish(r))),
    DEVICES_ADD("devices/add", Schemas.DEVICES_ADD, Needs.NONCE_UNRESTRICTED, inSession((h, r) -> h.devices().addDevice(r))),
    LOCK("lock", Schemas.LOCK, Needs.NONCE_UNRESTRICTED, inSession((h, r) -> h.devices().lock(r))),
    UNLOCK("unlock", Schemas.UNLOCK, Needs.NONCE_UNRESTRICTED, inSession((h, r) -> h.devices().unlock(r))),
    REVOKE("revoke", Schemas.REVOKE, Needs.NONCE_UNRESTRICTED, inSession((h, r) -> h.devices().revoke(r)));

    /**
     * What a request must show before its operation runs, checked in this order (docs/cosign-api.md §2);
     * each includes the ones before it.
     */
    enum Needs {
        /** Nothing: login and the access policy come before any session. */
        NOTHING,
        /** A live session opened for this device: /v1/nonces, how a client that lost its nonce gets one. */
        SESSION,
        /** Session and a nonce, consumed; also in a restricted session (the password must change first). */
        NONCE,
        /** Session and a nonce, and a session that is not restricted (else COSIGN-115). */
        NONCE_UNRESTRICTED;

        boolean session() {
            return this != NOTHING;
        }

        boolean nonce() {
            return this == NONCE || this == NONCE_UNRESTRICTED;
        }
    }

    /** The operation classes of one service, which the handlers call. */
    record Handlers(SessionOps sessions, SignOps signing, EnrolOps enrolment, DeviceOps devices, PolicyOps policy) {
    }

    @FunctionalInterface
    interface Handler {
        Outcome run(Handlers handlers, Request request);
    }

    private static final Map<String, Operation> BY_PATH = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(Operation::path, Function.identity()));

    private final String path;
    private final RequestSchema schema;
    private final Needs needs;
    private final Handler handler;

    Operation(String path, RequestSchema schema, Needs needs, Handler handler) {
        this.path = path;
        this.schema = schema;
        this.needs = needs;
        this.handler = handler;
    }

    /** The operation at /v1/{@code path}, if the API has one. */
    static Optional<Operation> byPath(String path) {
        return path == null ? Optional.empty() : Optional.ofNullable(BY_PATH.get(path));
    }

    /** The path after /v1/, which logs and the metrics' op tag name the operation by. */
    String path() {
        return path;
    }

    RequestSchema schema() {
        return schema;
    }

    Needs needs() {
        return needs;
    }

    Outcome run(Handlers handlers, Request request) {
        return handler.run(handlers, request);
    }

    /** An operation whose answer carries the next nonce of the request's own session. */
    private static Handler inSession(BiFunction<Handlers, Request, Map<String, Object>> body) {
        return (h, r) -> Outcome.nextNonceFor(r.session().id(), body.apply(h, r));
    }
}
