package io.gmgate.app.config;

import java.util.Optional;

/** Which cipher card holds the KEKs and the gateway's own keys, and where its secret comes from. */
public record CardSettings(Type type, String path, Optional<String> passphraseFile, Optional<String> pkcs11Library,
                           Optional<String> tokenLabel) {

    public enum Type { SOFT, PKCS11, SDF }

    static CardSettings read(ConfigNode n) {
        CardSettings s = new CardSettings(n.enumValue("type", Type.class, Type.SOFT),
                n.string("path", "/var/lib/gmgate/card.gmc"), n.optionalString("passphraseFile"),
                n.optionalString("pkcs11Library"), n.optionalString("tokenLabel"));
        if (s.type == Type.PKCS11 && s.pkcs11Library.isEmpty()) {
            throw n.error(n.path() + ".pkcs11Library", "is required for a pkcs11 card");
        }
        n.done();
        return s;
    }
}
