package io.gmgate.proxy;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * What the gateway vouches for about one terminal connection, handed to the trading front in the
 * PROXY v2 header: where it came from, which protocol and suite protected it, and — when the
 * client authenticated — the account and certificate serial the gateway verified.
 */
public record VerifiedPeer(
        InetSocketAddress source,
        InetSocketAddress destination,
        String protocol,
        String suite,
        Optional<String> account,
        Optional<String> certificateSerialHex,
        Optional<String> subjectCommonName,
        String accessMode) {

    public VerifiedPeer {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(suite, "suite");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(certificateSerialHex, "certificateSerialHex");
        Objects.requireNonNull(subjectCommonName, "subjectCommonName");
        Objects.requireNonNull(accessMode, "accessMode");
    }

    /** A connection on the plain bypass path: nothing verified but the source address. */
    public static VerifiedPeer plain(InetSocketAddress source, InetSocketAddress destination, String accessMode) {
        return new VerifiedPeer(source, destination, "PLAIN", "NONE",
                Optional.empty(), Optional.empty(), Optional.empty(), accessMode);
    }

    public boolean clientAuthenticated() {
        return certificateSerialHex.isPresent();
    }
}
