/**
 * Two-party SM2 (design §11): co-signing and co-decryption with a key that is never whole.
 *
 * <p>Sharing is multiplicative: (1+d)^-1 = d1·d2 mod n, so the joint public key is
 * P = [(d1·d2)^-1]G − G. The client (terminal, SDK) holds {@link io.gmgate.crypto.twoparty.ClientKeyShare}
 * d1; the cosign server holds {@link io.gmgate.crypto.twoparty.ServerKeyShare} d2. Everything here is a
 * pure function or a single-use state object over small immutable messages with fixed byte forms
 * (points 04‖x‖y, 65 bytes; scalars 32 bytes) that the services encode as they like. Every point and
 * scalar is checked when its message is built or parsed: on the curve and not infinity, in [1, n−1].
 *
 * <h2>Key generation</h2>
 * {@link io.gmgate.crypto.twoparty.ClientKeyGen#start} → {@link io.gmgate.crypto.twoparty.KeyGenRequest}
 * (P1 = [d1^-1]G, π1) → {@link io.gmgate.crypto.twoparty.TwoPartyServer#keyGen} (checks π1, picks d2,
 * P = [d2^-1]P1 − G ≠ O; store the share before replying) → {@link io.gmgate.crypto.twoparty.KeyGenResponse}
 * (P2, π2, P) → {@link io.gmgate.crypto.twoparty.ClientKeyGen#finish} (checks π2 and P == [d1^-1]P2 − G).
 * The proofs are Schnorr proofs whose SM3 challenge covers a domain label, the prover's role, the
 * session id, account and device, the public point and the commitment, all length-prefixed.
 *
 * <h2>Signing (one round trip)</h2>
 * {@link io.gmgate.crypto.twoparty.ClientSigning#start} → Q1 = [k1]G, e →
 * {@link io.gmgate.crypto.twoparty.TwoPartyServer#sign} → r, s2 = d2·k3, s3 = d2·(r + k2) →
 * {@link io.gmgate.crypto.twoparty.ClientSigning#finish}: s = d1·k1·s2 + d1·s3 − r, which equals
 * (1+d)^-1·(k + r) − r with k = k1·k3 + k2, an ordinary GB/T 32918.2 signature. The client verifies
 * it under P before release (COSIGN-004 otherwise). The server retries on r = 0; it cannot test
 * r + k = n because nobody knows k, so the client discards that case (it shows as r + s = n).
 *
 * <h2>Co-decryption</h2>
 * {@link io.gmgate.crypto.twoparty.ClientDecryption#start}: T1 = [d1^-1]C1 →
 * {@link io.gmgate.crypto.twoparty.TwoPartyServer#decrypt}: T2 = [d2^-1]T1 →
 * {@link io.gmgate.crypto.twoparty.ClientDecryption#finish}: [d]C1 = T2 − C1, then the ordinary
 * KDF, C2 and C3 steps. Use a separate key pair from signing; the server step is a fixed-key DH
 * oracle and must be rate-limited and audited by the service.
 *
 * <h2>The device share at rest: an OPRF over the PIN</h2>
 * {@link io.gmgate.crypto.twoparty.PinOprf}: the client sends B = [ρ]H(PIN), the server answers [k_s]B
 * with a per-device key, the client unblinds and derives the mask of d1
 * ({@link io.gmgate.crypto.twoparty.PinMaskedShare#maskWithOprf}). Each PIN guess needs one server
 * evaluation, which the service counts; P2 (which any signing answer reveals) is then no PIN verifier.
 *
 * <h2>Adding a device (design §4 step 7): re-sharing</h2>
 * A new device gets a fresh share of the same key, so the certificate is reused. It needs the old
 * device: only the old device holds d1, and the server alone must never be able to make a client
 * share. {@link io.gmgate.crypto.twoparty.Resharing}:
 * <ol>
 *   <li>old device (PIN unlocked, authenticated session): ρ ← [1, n−1]; d1' = d1·ρ. It sends ρ to
 *       the server, bound to the new device's id, and hands d1' to the new device over a channel
 *       the server cannot read (e.g. encrypted to a key the new device shows as a QR code).</li>
 *   <li>server: d2' = d2·ρ^-1, stored as a new record for the new device; the old record stays.
 *       d1'·d2' = d1·d2, so P is unchanged. It returns P2' = [d2'^-1]G.</li>
 *   <li>new device: checks P == [d1'^-1]P2' − G before storing d1' under its own PIN.</li>
 * </ol>
 * ρ alone tells the server nothing about d1 (it is uniform and independent of d1), and d1' alone
 * tells the new device nothing about d1 or d2. The old and new client shares are equally powerful
 * with their own server records; revoking a device deletes its server record.
 */
package io.gmgate.crypto.twoparty;
