package io.gmgate.sdk;

import java.util.Base64;
import java.util.List;
import java.util.Map;

/** Typed reads of a cosign API JSON answer; a missing or mistyped field is the server's fault (NET-401). */
public final class Fields {

    private static final Base64.Decoder B64 = Base64.getUrlDecoder();
    private static final Base64.Encoder ENC = Base64.getUrlEncoder().withoutPadding();

    private final Map<String, Object> map;
    private final String what;

    Fields(Map<String, Object> map, String what) {
        this.map = map;
        this.what = what;
    }

    static String b64(byte[] b) {
        return ENC.encodeToString(b);
    }

    Object raw(String k) {
        return map.get(k);
    }

    public boolean has(String k) {
        return map.get(k) != null;
    }

    public String string(String k) {
        Object v = map.get(k);
        if (!(v instanceof String s)) {
            throw bad(k, "a string");
        }
        return s;
    }

    public long number(String k) {
        Object v = map.get(k);
        if (!(v instanceof Number n)) {
            throw bad(k, "a number");
        }
        return n.longValue();
    }

    public boolean bool(String k) {
        Object v = map.get(k);
        if (!(v instanceof Boolean b)) {
            throw bad(k, "true or false");
        }
        return b;
    }

    public byte[] bytes(String k) {
        try {
            return B64.decode(string(k));
        } catch (IllegalArgumentException e) {
            throw bad(k, "base64url");
        }
    }

    @SuppressWarnings("unchecked")
    public Fields object(String k) {
        Object v = map.get(k);
        if (!(v instanceof Map)) {
            throw bad(k, "an object");
        }
        return new Fields((Map<String, Object>) v, what + "." + k);
    }

    @SuppressWarnings("unchecked")
    public List<Object> list(String k) {
        Object v = map.get(k);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List)) {
            throw bad(k, "a list");
        }
        return (List<Object>) v;
    }

    public Map<String, Object> asMap() {
        return map;
    }

    private SdkException bad(String k, String type) {
        return new SdkException(SdkErrors.BAD_HTTP, "cosign answer " + what + ": field '" + k + "' is not " + type);
    }
}
