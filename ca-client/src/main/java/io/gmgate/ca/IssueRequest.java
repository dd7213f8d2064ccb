package io.gmgate.ca;

import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;

import io.gmgate.crypto.Sm2PublicKey;

/**
 * A double-certificate request. {@code csr} is the PKCS#10 request of the sign key (DER), possibly
 * co-signed; {@code encPublicKey} is the encryption key when the terminal and the cosign server
 * generated it together, or null to have the CA generate it and return it enveloped.
 * {@code requestId} makes a retried request idempotent (the renewal code uses it).
 */
public record IssueRequest(String requestId, String account, String device, byte[] csr, Sm2PublicKey encPublicKey) {

    public IssueRequest {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(csr, "csr");
        requestId = requestId == null ? UUID.randomUUID().toString() : requestId;
        device = device == null ? "" : device;
        csr = csr.clone();
    }

    public static IssueRequest of(String account, String device, byte[] csr, Sm2PublicKey encPublicKey) {
        return new IssueRequest(null, account, device, csr, encPublicKey);
    }

    public IssueRequest withRequestId(String id) {
        return new IssueRequest(id, account, device, csr, encPublicKey);
    }

    @Override
    public byte[] csr() {
        return csr.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IssueRequest r && requestId.equals(r.requestId) && account.equals(r.account)
                && device.equals(r.device) && Arrays.equals(csr, r.csr) && Objects.equals(encPublicKey, r.encPublicKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(requestId, account, device, Arrays.hashCode(csr), encPublicKey);
    }

    @Override
    public String toString() {
        return "IssueRequest[id=" + requestId + ", account=" + account + ", device=" + device
                + ", encKey=" + (encPublicKey == null ? "CA-generated" : "supplied") + "]";
    }
}
