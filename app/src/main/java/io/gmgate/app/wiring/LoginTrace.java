package io.gmgate.app.wiring;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;

import io.gmgate.gateway.LoginPhases;
import io.gmgate.tlcp.CertificatePolicy;
import io.gmgate.tlcp.SessionBinding;
import io.gmgate.tlcp.SessionCache;
import io.gmgate.tlcp.SessionState;

/**
 * The login phases that happen inside the TLCP engine, timed through interfaces the engine already
 * calls (docs/perf-login.md), so the sans-IO engine itself carries no timers: {@code certificate_verify} runs
 * from the client certificate's policy check to the session binding (the key exchange's decryption,
 * the CertificateVerify and the Finished lie between), {@code cluster_write} around each session-map put.
 */
final class LoginTrace {

    /** Handshakes between their certificate check and their binding, across the node. */
    private static final int IN_FLIGHT = 16_384;

    private final LoginPhases phases;
    private final Map<X509CertificateHolder, Long> checked = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<X509CertificateHolder, Long> eldest) {
            return size() > IN_FLIGHT;
        }
    };

    LoginTrace(LoginPhases phases) {
        this.phases = phases;
    }

    CertificatePolicy policy(CertificatePolicy policy) {
        return new CertificatePolicy() {
            @Override
            public void check(X509CertificateHolder sign, Optional<X509CertificateHolder> enc, List<X509CertificateHolder> others,
                              Instant now) {
                policy.check(sign, enc, others, now);
                synchronized (checked) {
                    checked.put(sign, LoginPhases.now());
                }
            }

            @Override
            public List<X500Name> acceptedIssuers() {
                return policy.acceptedIssuers();
            }
        };
    }

    SessionBinding binding(SessionBinding binding) {
        return new SessionBinding() {
            @Override
            public Optional<String> bind(List<X509CertificateHolder> chain, byte[] certificateVerify) {
                Long since = take(chain);
                if (since != null) {
                    phases.since(LoginPhases.CERTIFICATE_VERIFY, since);
                }
                return binding.bind(chain, certificateVerify);
            }

            @Override
            public void recheck(List<X509CertificateHolder> chain, String keyRecord, Instant now) {
                take(chain); // a resumption checks the chain again but verifies no signature
                binding.recheck(chain, keyRecord, now);
            }
        };
    }

    private Long take(List<X509CertificateHolder> chain) {
        if (chain.isEmpty()) {
            return null;
        }
        synchronized (checked) {
            return checked.remove(chain.get(0));
        }
    }

    SessionCache sessions(SessionCache sessions) {
        return new SessionCache() {
            @Override
            public Optional<SessionState> get(byte[] id) {
                return sessions.get(id);
            }

            @Override
            public void put(SessionState session) {
                long started = LoginPhases.now();
                sessions.put(session);
                phases.since(LoginPhases.CLUSTER_WRITE, started);
            }

            @Override
            public void remove(byte[] id) {
                sessions.remove(id);
            }
        };
    }
}
