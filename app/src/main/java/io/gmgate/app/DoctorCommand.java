package io.gmgate.app;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.bouncycastle.cert.X509CertificateHolder;

import io.gmgate.app.config.AgentConfig;
import io.gmgate.crypto.GmPem;
import io.gmgate.error.GmgateException;
import io.gmgate.sdk.DeviceRecord;
import io.gmgate.sdk.Endpoint;
import io.gmgate.sdk.LocalStore;
import io.gmgate.sdk.SdkErrors;
import io.gmgate.tlcp.CipherSuite;
import io.gmgate.tlcp.EcdheEncoding;
import io.gmgate.tlcp.RevocationCheck;
import io.gmgate.tlcp.TlcpClientConfig;
import io.gmgate.tlcp.X509CertificatePolicy;
import io.gmgate.tlcp.io.TlcpSocket;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gmgate doctor}: the checks the clearing house's manual has users do by hand (seed 000
 * chapters 1 and 7), done for them — configuration, roots, device store, certificate validity and
 * expiry, every endpoint reachable, a one-way GM handshake to each enrolment endpoint, clock skew
 * against the gateway. One PASS/WARN/FAIL line each, with what to do.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true, description = "Check a terminal's setup and say what to fix.")
final class DoctorCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, description = "the terminal's YAML (agent: section)")
    Path config;

    @Option(names = "--warn-days", defaultValue = "30", description = "warn when the certificate expires within this many days")
    int warnDays;

    private PrintWriter out;
    private int failures;

    @Override
    public Integer call() {
        out = spec.commandLine().getOut();
        AgentConfig a;
        try {
            a = AgentConfig.load(config);
            pass("configuration", config + " reads");
        } catch (RuntimeException e) {
            fail("configuration", e.getMessage(), "fix the file; the message names the key");
            return finish();
        }
        List<X509CertificateHolder> roots = new ArrayList<>();
        try {
            roots = GmPem.certificatesFromPem(Files.readString(Path.of(a.roots())));
            Instant now = Instant.now();
            for (X509CertificateHolder r : roots) {
                if (!r.isValidOn(java.util.Date.from(now))) {
                    fail("roots", r.getSubject() + " is not valid now", "install the firm's current root certificate");
                }
            }
            pass("roots", roots.size() + " root certificate(s) in " + a.roots());
        } catch (Exception e) {
            fail("roots", "cannot read " + a.roots() + ": " + e.getMessage(), "install the firm's root certificate (PEM)");
        }
        try {
            Optional<DeviceRecord> r = LocalStore.open(Path.of(a.store())).load();
            if (r.isEmpty() || !r.get().enrolled()) {
                fail("store", "no certificate on this device", SdkErrors.NOT_ENROLLED.action());
            } else {
                pass("store", r.get().account() + "/" + r.get().deviceId() + " in " + a.store());
                X509CertificateHolder cert = GmPem.certificateFromDer(r.get().signChain().get(0));
                long days = Duration.between(Instant.now(), cert.getNotAfter().toInstant()).toDays();
                if (days < 0) {
                    fail("certificate", "expired " + (-days) + " days ago", "renew online (up to 90 days after expiry), else re-enrol");
                } else if (days < warnDays) {
                    warn("certificate", "expires in " + days + " days", "renew now: gmgate client renew");
                } else {
                    pass("certificate", "valid for " + days + " more days");
                }
                r.get().renewalCode().ifPresent(c -> warn("renewal", "a renewal was started and not finished",
                        "finish it: gmgate client renew (resumes with the stored code)"));
            }
        } catch (GmgateException e) {
            fail("store", e.getMessage(), e.errorCode().action());
        }
        for (Endpoint e : a.trading()) {
            reachable("trading " + e, e);
        }
        for (Endpoint e : a.enrolment()) {
            if (reachable("enrolment " + e, e) && !roots.isEmpty()) {
                handshake(e, roots);
            }
        }
        return finish();
    }

    private boolean reachable(String what, Endpoint e) {
        try (Socket s = new Socket()) {
            long t = System.nanoTime();
            s.connect(new InetSocketAddress(e.host(), e.port()), 3000);
            pass(what, "TCP connect in " + (System.nanoTime() - t) / 1_000_000 + " ms");
            return true;
        } catch (Exception ex) {
            fail(what, "cannot connect: " + ex.getMessage(), SdkErrors.UNREACHABLE.action());
            return false;
        }
    }

    private void handshake(Endpoint e, List<X509CertificateHolder> roots) {
        TlcpClientConfig cfg = new TlcpClientConfig(List.of(CipherSuite.ECC_SM4_GCM_SM3, CipherSuite.ECC_SM4_CBC_SM3),
                Optional.empty(), new X509CertificatePolicy(roots, RevocationCheck.NONE, true), Optional.empty(),
                EcdheEncoding.BARE, Clock.systemUTC(), new SecureRandom());
        try (Socket raw = new Socket()) {
            raw.connect(new InetSocketAddress(e.host(), e.port()), 3000);
            raw.setSoTimeout(5000);
            TlcpSocket s = TlcpSocket.client(raw, cfg).handshake();
            pass("GM handshake " + e, s.engine().suite() + ", gateway certificate trusted");
            s.engine().serverHelloTime().ifPresent(t -> {
                long skew = Math.abs(Duration.between(t, Instant.now()).toSeconds());
                if (skew > 300) {
                    fail("clock", "this terminal's clock is " + skew + " s off the gateway's",
                            "set the clock (NTP): certificates and policies are checked against it");
                } else {
                    pass("clock", "within " + Math.max(skew, 1) + " s of the gateway");
                }
            });
            s.close();
        } catch (GmgateException ex) {
            fail("GM handshake " + e, ex.getMessage(), ex.errorCode().action());
        } catch (Exception ex) {
            fail("GM handshake " + e, ex.getMessage(), SdkErrors.UNREACHABLE.action());
        }
    }

    private void pass(String what, String detail) {
        out.printf("PASS  %-40s %s%n", what, detail);
    }

    private void warn(String what, String detail, String action) {
        out.printf("WARN  %-40s %s%n      → %s%n", what, detail, action);
    }

    private void fail(String what, String detail, String action) {
        failures++;
        out.printf("FAIL  %-40s %s%n      → %s%n", what, detail, action);
    }

    private int finish() {
        out.println(failures == 0 ? "all checks passed" : failures + " check(s) failed");
        out.flush();
        return failures == 0 ? 0 : 1;
    }
}
