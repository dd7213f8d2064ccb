package io.gmgate.agent;

import java.util.Arrays;

import io.gmgate.error.GmgateException;
import io.gmgate.sdk.GmgateClient;
import io.gmgate.sdk.SdkErrors;
import io.gmgate.sdk.TradingChannel;
import io.gmgate.tlcp.io.TlcpSocket;

/**
 * The trading side of the agent: one cosign login for this device, used to co-sign the
 * CertificateVerify of every two-way channel. It logs in on first use and again when the server has
 * ended the session (COSIGN-112: idle or older than 12 hours, cosign API §2). After a wrong PIN it
 * stops (CERT-410) instead of co-signing again, because every further attempt with the same wrong
 * PIN would count towards locking the key (cosign API §4) — a service must not lock its own key.
 *
 * <p>Holds copies of the password and PIN for the agent's lifetime (it must log in again unattended);
 * {@link #close()} zeroes them, and {@link #toString()} never shows them.
 */
public final class LoginUpstream implements Upstream, AutoCloseable {

    private static final String SESSION_UNKNOWN = "COSIGN-112";

    private final GmgateClient client;
    private final char[] password;
    private final char[] pin;
    private GmgateClient.Session session;
    private GmgateException stopped;

    public LoginUpstream(GmgateClient client, char[] password, char[] pin) {
        this.client = client;
        this.password = password.clone();
        this.pin = pin.clone();
    }

    /** Logs in if not yet logged in; the agent calls it at start so a wrong password shows at once. */
    public synchronized GmgateClient.Session session() {
        if (session == null) {
            session = client.login(password, pin);
        }
        return session;
    }

    /**
     * Proves the PIN with one co-signature (cosign API §4) at start: a wrong PIN costs one attempt
     * here and stops the trading side, rather than one attempt per terminal connection.
     */
    public synchronized void checkPin() {
        if (stopped != null) {
            throw stoppedError();
        }
        try {
            session().sign("gmgate agent start".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        } catch (GmgateException e) {
            if (e.errorCode() == SdkErrors.WRONG_PIN) {
                stopped = e;
            }
            throw e;
        }
    }

    /** The strongest path the access policy allows (two-way through this login first), see {@code GmgateClient.openTrading}. */
    @Override
    public synchronized TradingChannel open() {
        if (stopped != null) {
            throw stoppedError();
        }
        return client.openTrading(this::twoWay);
    }

    private TlcpSocket twoWay() {
        try {
            return session().connect();
        } catch (GmgateException e) {
            if (e.errorCode() == SdkErrors.WRONG_PIN) {
                stopped = e;
                throw e;
            }
            if (!SESSION_UNKNOWN.equals(e.errorCode().code())) {
                throw e;
            }
            session = null; // ended by the server: log in once more, then give up with what it says
            return session().connect();
        }
    }

    private AgentException stoppedError() {
        return new AgentException(AgentErrors.TRADING_STOPPED, "not co-signing again after " + stopped.getMessage());
    }

    @Override
    public synchronized void close() {
        try {
            if (session != null) {
                session.close(); // sends a pending confirmation, so the PIN counter is left at zero
            }
        } catch (GmgateException e) {
            // the gateway is gone; the server counts the unconfirmed attempt, which the next login's confirmation resets
        } finally {
            Arrays.fill(password, '\0');
            Arrays.fill(pin, '\0');
        }
    }

    @Override
    public String toString() {
        return "LoginUpstream[password=[redacted], pin=[redacted]]";
    }
}
