package io.gmgate.cosign;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import io.gmgate.cosign.api.Fields;
import io.gmgate.cosign.state.LoginSession;
import io.gmgate.cosign.state.Tokens;
import io.gmgate.error.GmgateException;

/**
 * The co-signing service without its transport (docs/cosign-api.md): takes a parsed request body and
 * the client's address, returns a {@link Reply}. Blocking (database, card): the HTTP adapter runs it on
 * worker threads. The checks run in the documented order (§2) — schema, then as far as the {@link Operation}
 * needs: session, device, nonce (consumed), per-account rate limit, password-change restriction; then the
 * piggybacked confirmation and the operation — and every reply after the nonce carries the next, of the
 * session the operation's {@link Outcome} names.
 */
public final class CosignService {

    private static final System.Logger LOG = System.getLogger(CosignService.class.getName());

    private final CosignDeps deps;
    private final CosignSettings settings;
    private final Limits limits;
    private final SignOps signing;
    private final Operation.Handlers handlers;
    private final long nonceLifeSeconds;

    public CosignService(CosignDeps deps, CosignSettings settings, Duration nonceLife, Duration sessionIdle) {
        this(deps, settings, nonceLife, sessionIdle, Optional::empty);
    }

    public CosignService(CosignDeps deps, CosignSettings settings, Duration nonceLife, Duration sessionIdle,
                         Supplier<Optional<byte[]>> accessPolicy) {
        this.deps = deps;
        this.settings = settings;
        this.limits = new Limits(settings, deps.clock());
        KeyViews views = new KeyViews(deps, settings);
        this.nonceLifeSeconds = nonceLife.toSeconds();
        this.signing = new SignOps(deps, settings, views, limits);
        EnrolOps enrolment = new EnrolOps(deps, settings, views, limits);
        this.handlers = new Operation.Handlers(
                new SessionOps(deps, settings, views, limits, nonceLifeSeconds, sessionIdle.toSeconds()), signing, enrolment,
                new DeviceOps(deps, settings, views, limits, signing, enrolment), new PolicyOps(accessPolicy, settings.node()));
    }

    public CosignSettings settings() {
        return settings;
    }

    /** Per-address limit, checked by the adapter before the body is even parsed. */
    public void admitAddress(String address) {
        limits.address(address);
    }

    public Reply handle(String path, Map<String, Object> body, String address) {
        Optional<Operation> found = Operation.byPath(path);
        if (found.isEmpty()) {
            return Reply.failed(new CosignException(CosignErrors.NO_SUCH_OPERATION, "no operation /v1/" + path), null, null);
        }
        Operation operation = found.get();
        Operation.Needs needs = operation.needs();
        Fields fields;
        LoginSession session;
        try {
            fields = operation.schema().validate(body);
            if (!needs.session()) {
                return answer(operation.run(handlers, new Request(operation, fields, null, address, Optional.empty())));
            }
            session = sessionOf(fields);
            if (!needs.nonce()) {
                return answer(operation.run(handlers, new Request(operation, fields, session, address, Optional.empty())));
            }
            if (!deps.nonces().consume(session.id(), fields.text("nonce"))) {
                throw new CosignException(CosignErrors.NONCE_INVALID, "[cosign " + settings.node() + "] nonce refused for session "
                        + session.id() + " of " + session.account());
            }
        } catch (GmgateException e) {
            return Reply.failed(e, null, null);
        } catch (RuntimeException e) {
            return internal(path, e, null);
        }
        // From here on the nonce is spent: every reply, good or bad, carries the next one.
        String nonceSession = session.id();
        try {
            limits.account(session.account());
            if (session.restricted() && needs == Operation.Needs.NONCE_UNRESTRICTED) {
                throw new CosignException(CosignErrors.PASSWORD_CHANGE_REQUIRED, "[cosign " + settings.node() + "] account "
                        + session.account() + " must change its password first");
            }
            Request request = new Request(operation, fields, session, address, Optional.empty());
            Optional<Fields> confirm = fields.optNested("confirm");
            if (confirm.isPresent()) {
                request = new Request(operation, fields, session, address, Optional.of(signing.confirm(request, confirm.get())));
            }
            Outcome outcome = operation.run(handlers, request);
            nonceSession = outcome.nextNonceSession().orElse(nonceSession);
            return answer(outcome);
        } catch (GmgateException e) {
            return Reply.failed(e, nextNonce(nonceSession), null);
        } catch (RuntimeException e) {
            return internal(path, e, nextNonce(nonceSession));
        }
    }

    /** The live session the request names, opened for the device it names. */
    private LoginSession sessionOf(Fields fields) {
        LoginSession session = deps.sessions().touch(fields.text("session")).orElseThrow(() ->
                new CosignException(CosignErrors.SESSION_INVALID, "[cosign " + settings.node() + "] session unknown or expired"));
        if (!session.device().equals(fields.text("device"))) {
            throw new CosignException(CosignErrors.WRONG_DEVICE, "[cosign " + settings.node() + "] session of " + session.account()
                    + " was opened for device " + session.device() + ", not " + fields.text("device"));
        }
        return session;
    }

    /** The outcome's body, with the next nonce of the session it names. */
    private Reply answer(Outcome outcome) {
        Map<String, Object> body = outcome.body();
        outcome.nextNonceSession().ifPresent(sessionId -> {
            body.put("nonce", deps.nonces().issue(sessionId));
            body.put("nonceExpiresInSeconds", nonceLifeSeconds);
        });
        return Reply.ok(body);
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
