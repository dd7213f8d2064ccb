package io.gmgate.cosign;

import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** /v1/policy: the firm's signed access policy, for terminals before they log in (docs/cosign-api.md §5.16). */
final class PolicyOps {

    private final Supplier<Optional<byte[]>> accessPolicy;
    private final String node;

    PolicyOps(Supplier<Optional<byte[]>> accessPolicy, String node) {
        this.accessPolicy = accessPolicy;
        this.node = node;
    }

    Outcome signedPolicy() {
        byte[] signed = accessPolicy.get().orElseThrow(() -> new CosignException(CosignErrors.NO_POLICY,
                "[cosign " + node + "] no access policy has been published"));
        return Outcome.noNextNonce(Ops.map("policy", Base64.getEncoder().encodeToString(signed)));
    }
}
