package io.gmgate.tlcp;

/**
 * How a client authenticates in TLCP, where the open stacks disagree (design §13). A server
 * accepts every form; a client sends the one its server reads.
 *
 * <ul>
 * <li>{@link #STANDARD}: the certificate list is sign + encryption certificate (+ CAs) in every
 * suite, and CertificateVerify signs SM3(handshake_messages) (GB/T 38636-2020 §6.4.5.9's
 * {@code sm3_hash}), SM2 with the default ID over that hash. Tongsuo's server requires this.</li>
 * <li>{@link #GMSSL}: in the ECC suites the list is the sign chain only (GmSSL's server takes a
 * second certificate for the issuer of the first and rejects an encryption certificate there); in
 * ECDHE sign + encryption; CertificateVerify signs the handshake messages themselves (SM2 with the
 * default ID over their concatenation, not over their hash). GmSSL 3.x's server requires this.</li>
 * </ul>
 */
public enum PeerDialect {
    STANDARD,
    GMSSL
}
