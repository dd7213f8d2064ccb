package io.gmgate.cosign;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Map;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Supplier;

import io.gmgate.cosign.api.Fields;
import io.gmgate.cosign.api.RequestSchema;
import io.gmgate.cosign.api.Schemas;
import io.gmgate.cosign.state.LoginSession;
import io.gmgate.cosign.state.Tokens;
import io.gmgate.error.GmgateException;

/**
 * The co-signing service without its transport (docs/cosign-api.md): takes a parsed request body and
 * the client's address, returns a {@link Reply}. Blocking (database, card): the HTTP adapter runs it on
 * worker threads. The checks run in the documented order — schema, session, device, nonce (consumed),
 * piggybacked confirmation, rate limit, operation — and every reply after the nonce carries the next.
 */
public final class CosignService {

    private static final System.Logger LOG = System.getLogger(CosignService.class.getName());

    private final CosignDeps deps;
    private final Supplier<Optional<byte[]>> accessPolicy;
    private final CosignSettings settings;
    private final Limits limits;
    private final SessionOps sessions;
    private final SignOps signing;
    private final EnrolOps enrolment;
    private final DeviceOps devices;
    private final long nonceLifeSeconds;

    public CosignService(CosignDeps deps, CosignSettings settings, Duration nonceLife, Duration sessionIdle) {
        this(deps, settings, nonceLife, sessionIdle, Optional::empty);
    }

    public CosignService(CosignDeps deps, CosignSettings settings, Duration nonceLife, Duration sessionIdle,
                         Supplier<Optional<byte[]>> accessPolicy) {
        this.deps = deps;
        this.accessPolicy = accessPolicy;
        this.settings = settings;
        this.limits = new Limits(settings, deps.clock());
        KeyViews views = new KeyViews(deps, settings);
        this.nonceLifeSeconds = nonceLife.toSeconds();
        this.sessions = new SessionOps(deps, settings, views, limits, nonceLifeSeconds, sessionIdle.toSeconds());
        this.signing = new SignOps(deps, settings, views, limits);
        this.enrolment = new EnrolOps(deps, settings, views, limits);
        this.devices = new DeviceOps(deps, settings, views, limits, signing, enrolment);
    }

    public CosignSettings settings() {
        return settings;
    }

    /** Per-address limit, checked by the adapter before the body is even parsed. */
    public void admitAddress(String address) {
        limits.address(address);
    }

    public Reply handle(String operation, Map<String, Object> body, String address) {
        RequestSchema schema = Schemas.BY_PATH.get(operation);
        if (schema == null) {
            return Reply.failed(new CosignException(CosignErrors.NO_SUCH_OPERATION, "no operation /v1/" + operation), null, null);
        }
        Fields fields;
        try {
            fields = schema.validate(body);
            if (operation.equals("login")) {
                return Reply.ok(sessions.login(fields, address));
            }
            if (operation.equals("policy")) {
                byte[] signed = accessPolicy.get().orElseThrow(() -> new CosignException(CosignErrors.NO_POLICY,
                        "[cosign " + settings.node() + "] no access policy has been published"));
                return Reply.ok(new java.util.LinkedHashMap<>(Map.of("policy", Base64.getEncoder().encodeToString(signed))));
            }
        } catch (GmgateException e) {
            return Reply.failed(e, null, null);
        } catch (RuntimeException e) {
            return internal(operation, e, null);
        }
        LoginSession session;
        try {
            session = deps.sessions().touch(fields.text("session")).orElseThrow(() ->
                    new CosignException(CosignErrors.SESSION_INVALID, "[cosign " + settings.node() + "] session unknown or expired"));
            if (!session.device().equals(fields.text("device"))) {
                throw new CosignException(CosignErrors.WRONG_DEVICE, "[cosign " + settings.node() + "] session of " + session.account()
                        + " was opened for device " + session.device() + ", not " + fields.text("device"));
            }
            if (operation.equals("nonces")) {
                return Reply.ok(sessions.nonces(session, fields));
            }
            if (!deps.nonces().consume(session.id(), fields.text("nonce"))) {
                throw new CosignException(CosignErrors.NONCE_INVALID, "[cosign " + settings.node() + "] nonce refused for session "
                        + session.id() + " of " + session.account());
            }
        } catch (GmgateException e) {
            return Reply.failed(e, null, null);
        } catch (RuntimeException e) {
            return internal(operation, e, null);
        }
        // From here on the nonce is spent: every reply, good or bad, carries the next one.
        String nonceSession = session.id();
        try {
            limits.account(session.account());
            if (session.restricted() && !Schemas.PASSWORD.name().equals(operation) && !"status".equals(operation)
                    && !"logout".equals(operation)) {
                throw new CosignException(CosignErrors.PASSWORD_CHANGE_REQUIRED, "[cosign " + settings.node() + "] account "
                        + session.account() + " must change its password first");
            }
            Request request = new Request(operation, fields, session, address, false);
            Optional<Fields> confirm = fields.optNested("confirm");
            if (confirm.isPresent()) {
                request = new Request(operation, fields, session, address, signing.confirm(request, confirm.get()));
            }
            Map<String, Object> out = dispatch(operation, request);
            if ("logout".equals(operation)) {
                return Reply.ok(out);
            }
            Object renewed = out.remove("__nonceSession");
            if (renewed != null) {
                nonceSession = (String) renewed;
            }
            out.put("nonce", deps.nonces().issue(nonceSession));
            out.put("nonceExpiresInSeconds", nonceLifeSeconds);
            return Reply.ok(out);
        } catch (GmgateException e) {
            return Reply.failed(e, nextNonce(nonceSession), null);
        } catch (RuntimeException e) {
            return internal(operation, e, nextNonce(nonceSession));
        }
    }

    private Map<String, Object> dispatch(String operation, Request r) {
        switch (operation) {
            case "logout": return sessions.logout(r);
            case "status": return sessions.status(r);
            case "password": return sessions.password(r);
            case "sign": return signing.sign(r);
            case "sign/confirm": return signing.confirmOnly(r);
            case "decrypt": return signing.decrypt(r);
            case "pin/evaluate": return signing.evaluatePin(r);
            case "enrol/keys": return enrolment.keys(r);
            case "enrol/certificate": return enrolment.certificate(r);
            case "renew/start": return enrolment.renewStart(r);
            case "renew/finish": return enrolment.renewFinish(r);
            case "pin/reset/start": return devices.pinResetStart(r);
            case "pin/reset/finish": return devices.pinResetFinish(r);
            case "devices/add": return devices.addDevice(r);
            case "lock": return devices.lock(r);
            case "unlock": return devices.unlock(r);
            case "revoke": return devices.revoke(r);
            default:
                throw new CosignException(CosignErrors.NO_SUCH_OPERATION, "no operation /v1/" + operation);
        }
    }

    private String nextNonce(String sessionId) {
        try {
            return deps.nonces().issue(sessionId);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** A bug: logged here with its stack and a reference id; the peer sees COSIGN-199 and the id only. */
    private Reply internal(String operation, RuntimeException e, String nonce) {
        String ref = Tokens.random(9);
        LOG.log(Level.ERROR, "[cosign " + settings.node() + "] /v1/" + operation + " failed unexpectedly, reference " + ref, e);
        return Reply.failed(new CosignException(CosignErrors.INTERNAL, "[cosign " + settings.node() + "] unexpected error, reference "
                + ref), nonce, ref);
    }
}
