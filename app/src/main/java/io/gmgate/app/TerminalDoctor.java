package io.gmgate.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.cert.X509CertificateHolder;

import io.gmgate.agent.AgentErrors;
import io.gmgate.agent.AgentSettings;
import io.gmgate.app.config.ClientConfig;
import io.gmgate.app.config.TerminalConfig;
import io.gmgate.cosign.CosignErrors;
import io.gmgate.crypto.GmPem;
import io.gmgate.error.ErrorCode;
import io.gmgate.error.GmgateException;
import io.gmgate.sdk.DeviceRecord;
import io.gmgate.policy.Endpoint;
import io.gmgate.sdk.LocalStore;
import io.gmgate.sdk.SdkErrors;
import io.gmgate.policy.AccessPolicy;
import io.gmgate.tlcp.CipherSuite;
import io.gmgate.tlcp.EcdheEncoding;
import io.gmgate.tlcp.RevocationCheck;
import io.gmgate.tlcp.TlcpClientConfig;
import io.gmgate.tlcp.X509CertificatePolicy;
import io.gmgate.tlcp.io.TlcpSocket;

/**
 * The checks the clearing house's manual has users do by hand (docs/terminal.md: names, ports of
 * both data centres; chapter 7: proxy not started, network, wrong root path, leftover process), done
 * for them: roots, the device store and its certificate, name resolution and TCP for every endpoint,
 * a one-way GM handshake to every enrolment endpoint, clock skew against the gateway, the signed
 * access policy, and the local agent when the file has an {@code agent:} section. Each finding
 * carries the registry code and its action (design §8).
 */
final class TerminalDoctor {

    enum Verdict { PASS, WARN, FAIL }

    record Finding(Verdict verdict, String check, String detail, Optional<ErrorCode> code) {
        String action() {
            return code.map(ErrorCode::action).orElse("");
        }
    }

    static final Duration MAX_SKEW = Duration.ofMinutes(5);

    private final TerminalConfig config;
    private final int warnDays;
    private final Duration timeout;
    private final Clock clock;
    private final List<Finding> findings = new ArrayList<>();

    TerminalDoctor(TerminalConfig config, int warnDays, Duration timeout, Clock clock) {
        this.config = config;
        this.warnDays = warnDays;
        this.timeout = timeout;
        this.clock = clock;
    }

    List<Finding> run() {
        ClientConfig c = config.client();
        List<X509CertificateHolder> roots = roots(c);
        store(c);
        for (Endpoint e : c.enrolment()) {
            if (reachable("enrolment " + e, e) && !roots.isEmpty()) {
                handshake(e, roots);
            }
        }
        for (Endpoint e : c.trading()) {
            reachable("trading " + e, e);
        }
        policy(c);
        if (config.agentSection()) {
            agent(config.agent().settings());
        }
        return List.copyOf(findings);
    }

    private void pass(String check, String detail) {
        findings.add(new Finding(Verdict.PASS, check, detail, Optional.empty()));
    }

    private void warn(String check, String detail, ErrorCode code) {
        findings.add(new Finding(Verdict.WARN, check, code.code() + " " + detail, Optional.of(code)));
    }

    private void fail(String check, String detail, ErrorCode code) {
        findings.add(new Finding(Verdict.FAIL, check, code.code() + " " + detail, Optional.of(code)));
    }

    private void fail(String check, GmgateException e) {
        findings.add(new Finding(Verdict.FAIL, check, e.getMessage(), Optional.of(e.errorCode())));
    }

    private List<X509CertificateHolder> roots(ClientConfig c) {
        try {
            List<X509CertificateHolder> roots = TerminalWiring.roots(c.roots());
            Date now = Date.from(clock.instant());
            for (X509CertificateHolder r : roots) {
                if (!r.isValidOn(now)) {
                    fail("roots", r.getSubject() + " in " + c.roots() + " is not valid now (until " + r.getNotAfter().toInstant()
                            + ")", SdkErrors.ROOTS_MISSING);
                    return List.of();
                }
            }
            pass("roots", roots.size() + " root certificate(s) in " + c.roots());
            return roots;
        } catch (GmgateException e) {
            fail("roots", e);
            return List.of();
        }
    }

    private void store(ClientConfig c) {
        Optional<DeviceRecord> r;
        try {
            r = LocalStore.open(c.store()).load();
        } catch (GmgateException e) {
            fail("store", e);
            return;
        }
        if (r.isEmpty() || !r.get().enrolled()) {
            fail("store", "no certificate on this device in " + c.store(), SdkErrors.NOT_ENROLLED);
            return;
        }
        DeviceRecord d = r.get();
        pass("store", d.account() + "/" + d.deviceId() + " in " + c.store());
        X509CertificateHolder cert = GmPem.certificateFromDer(d.signChain().get(0));
        Instant now = clock.instant();
        long days = Duration.between(now, cert.getNotAfter().toInstant()).toDays();
        String serial = "sign certificate " + cert.getSerialNumber().toString(16);
        if (now.isBefore(cert.getNotBefore().toInstant()) || now.isAfter(cert.getNotAfter().toInstant())) {
            fail("certificate", serial + " is valid " + cert.getNotBefore().toInstant() + " to " + cert.getNotAfter().toInstant()
                    + ", not now", SdkErrors.CERT_EXPIRED);
        } else if (days < warnDays) {
            warn("certificate", serial + " expires in " + days + " days (" + cert.getNotAfter().toInstant() + ")",
                    SdkErrors.CERT_EXPIRING);
        } else {
            pass("certificate", serial + " valid for " + days + " more days");
        }
        d.renewalCode().ifPresent(code -> warn("renewal", "a renewal was started and not finished; its code is in the store",
                CosignErrors.RENEWAL_PENDING));
    }

    private boolean reachable(String check, Endpoint e) {
        InetAddress address;
        try {
            address = InetAddress.getByName(e.host());
        } catch (IOException ex) {
            // docs/terminal.md: the local name (hosts file) is missing or malformed
            fail(check, "cannot resolve " + e.host() + ": " + ex.getMessage(), SdkErrors.UNREACHABLE);
            return false;
        }
        try (Socket s = new Socket()) {
            long t = System.nanoTime();
            s.connect(new InetSocketAddress(address, e.port()), (int) timeout.toMillis());
            pass(check, "TCP connect in " + Math.max(1, (System.nanoTime() - t) / 1_000_000) + " ms");
            return true;
        } catch (IOException ex) {
            fail(check, "cannot connect: " + ex.getMessage(), SdkErrors.UNREACHABLE);
            return false;
        }
    }

    private void handshake(Endpoint e, List<X509CertificateHolder> roots) {
        // as the terminal will: the chain, then the gateway role, the name dialled and the pins (design §4 step 5)
        TlcpClientConfig cfg = new TlcpClientConfig(List.of(CipherSuite.ECC_SM4_GCM_SM3, CipherSuite.ECC_SM4_CBC_SM3),
                Optional.empty(), io.gmgate.tlcp.GatewayIdentity.strict().pinned(config.client().gatewayPins())
                        .after(new X509CertificatePolicy(roots, RevocationCheck.NONE, true), e.host(), roots), Optional.empty(),
                EcdheEncoding.BARE, clock, new SecureRandom());
        String check = "GM handshake " + e;
        try (Socket raw = new Socket()) {
            raw.connect(new InetSocketAddress(e.host(), e.port()), (int) timeout.toMillis());
            raw.setSoTimeout((int) Math.max(timeout.toMillis(), 5000));
            TlcpSocket s = TlcpSocket.client(raw, cfg).handshake();
            X509CertificateHolder server = s.engine().peerCertificates().get(0);
            pass(check, s.engine().suite() + "; gateway " + server.getSubject() + " trusted as " + e.host() + ", valid until "
                    + server.getNotAfter().toInstant());
            s.engine().serverHelloTime().ifPresent(t -> skew(e, t));
            s.close();
        } catch (GmgateException ex) {
            fail(check, ex);
        } catch (IOException ex) {
            fail(check, ex.getMessage(), SdkErrors.UNREACHABLE);
        }
    }

    /** The ServerHello's gmt_unix_time (GB/T 38636-2020 §6.4.5.2.2) is the gateway's clock, to the second. */
    private void skew(Endpoint e, Instant gateway) {
        long skew = Math.abs(Duration.between(gateway, clock.instant()).toSeconds());
        if (skew > MAX_SKEW.toSeconds()) {
            fail("clock vs " + e, "this terminal's clock is " + skew + " s off the gateway's", SdkErrors.CLOCK_SKEW);
        } else {
            pass("clock vs " + e, "within " + Math.max(skew, 1) + " s of the gateway");
        }
    }

    private void policy(ClientConfig c) {
        if (c.policy().isEmpty()) {
            return;
        }
        try {
            var key = GmPem.publicKeyFromPem(Files.readString(c.policyKey().orElseThrow()));
            // against the last policy this device accepted, so a replayed older one is named too
            AccessPolicy p = io.gmgate.sdk.policy.TerminalPolicy.check(LocalStore.open(c.store()), key,
                    Files.readAllBytes(c.policy().get()), clock, MAX_SKEW);
            String detail = "#" + p.serial() + " " + p.mode() + ", valid until " + p.notAfter();
            if (p.mode() != AccessPolicy.Mode.NORMAL) {
                findings.add(new Finding(Verdict.WARN, "policy", detail + ": the firm has degraded access for now",
                        Optional.empty()));
            } else {
                pass("policy", detail);
            }
        } catch (GmgateException e) {
            fail("policy", e);
        } catch (IOException | RuntimeException e) {
            fail("policy", "cannot read " + c.policy().get() + " or " + c.policyKey().orElseThrow() + ": " + e.getMessage(),
                    io.gmgate.policy.PolicyErrors.POLICY_UNSIGNED);
        }
    }

    /**
     * Seed 000 7.x: with the proxy running, {@code http://127.0.0.1:8090} answers (404 from the gateway
     * side); "cannot reach this site" means the proxy is not running. The trading port must accept.
     */
    private void agent(AgentSettings a) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), a.enrolmentPort()), (int) timeout.toMillis());
            s.setSoTimeout((int) Math.max(timeout.toMillis(), 5000));
            OutputStream o = s.getOutputStream();
            o.write(("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            o.flush();
            InputStream in = s.getInputStream();
            byte[] head = in.readNBytes(12);
            String line = new String(head, StandardCharsets.US_ASCII);
            if (line.startsWith("HTTP/1.")) {
                pass("agent 127.0.0.1:" + a.enrolmentPort(), "relays HTTP to the gateway (answered " + line.substring(9).trim() + ")");
            } else {
                fail("agent 127.0.0.1:" + a.enrolmentPort(), "accepted but no HTTP answer came back", AgentErrors.AGENT_DOWN);
            }
        } catch (IOException e) {
            fail("agent 127.0.0.1:" + a.enrolmentPort(), "not answering: " + e.getMessage(), AgentErrors.AGENT_DOWN);
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), a.tradingPort()), (int) timeout.toMillis());
            pass("agent 127.0.0.1:" + a.tradingPort(), "accepting trading connections");
        } catch (IOException e) {
            fail("agent 127.0.0.1:" + a.tradingPort(), "not answering: " + e.getMessage(), AgentErrors.AGENT_DOWN);
        }
    }
}
