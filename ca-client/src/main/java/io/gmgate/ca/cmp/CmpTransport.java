package io.gmgate.ca.cmp;

/**
 * Carries one DER PKIMessage to a CA and returns its DER answer. Failing to reach the CA is a
 * CA-100 {@link io.gmgate.ca.CaException}; everything about the message itself is the client's job.
 */
@FunctionalInterface
public interface CmpTransport {

    byte[] exchange(byte[] request);
}
