package io.gmgate.app.config;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.bouncycastle.cert.X509CertificateHolder;

import io.gmgate.ca.cmp.CmpCaConfig;
import io.gmgate.ca.cmp.CmpProtection;
import io.gmgate.crypto.GmPem;

/**
 * One external CA the cosign node asks over CMP, from {@code cosign.cas[]} (seed 003 C.3: the CA
 * vendor's primary line, its backup line, a second vendor), in priority order: the CMP URL, the RA
 * reference and the file holding the shared MAC secret, and the issuing CA's certificate (PEM).
 */
public record CmpCaSettings(String name, URI url, String reference, String secretFile, String issuerCertificate) {

    static CmpCaSettings read(ConfigNode n) {
        String url = n.string("url");
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw n.error(n.path() + ".url", "is not a URL: " + url);
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw n.error(n.path() + ".url", "must be an http(s) CMP endpoint, got " + url);
        }
        return new CmpCaSettings(n.string("name"), uri, n.string("reference"), n.string("secretFile"), n.string("issuer"));
    }

    /** The CMP client configuration, with the secret and certificate read from their files now. */
    public CmpCaConfig config() {
        byte[] secret;
        List<X509CertificateHolder> issuer;
        try {
            secret = Files.readAllLines(Path.of(secretFile)).get(0).trim().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            issuer = GmPem.certificatesFromPem(Files.readString(Path.of(issuerCertificate)));
        } catch (IOException | IndexOutOfBoundsException e) {
            throw new ConfigException("[CA " + name + "] cannot read " + secretFile + " or " + issuerCertificate + ": " + e.getMessage());
        }
        if (issuer.isEmpty()) {
            throw new ConfigException("[CA " + name + "] " + issuerCertificate + " holds no PEM certificate");
        }
        return CmpCaConfig.of(name, url, issuer.get(0).getSubject(), CmpProtection.Mac.sm3(reference, secret))
                .withIssuerCertificate(issuer.get(0));
    }

    @Override
    public String toString() {
        return "CmpCaSettings[" + name + " " + url + ", reference " + reference + ", secret in " + secretFile + "]";
    }
}
