package io.gmgate.cosign.api;

import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import io.gmgate.cosign.CosignErrors;
import io.gmgate.cosign.CosignException;

/**
 * The fixed field set of one request object (docs/cosign-api.md §1): names, JSON types, lengths,
 * patterns and ranges. {@link #validate} refuses unknown, missing, null and mistyped fields with the
 * field named in the message, and decodes binary fields (unpadded base64url, canonical form only).
 */
public final class RequestSchema {

    /** What one field must be. */
    public sealed interface Spec permits Text, Binary, Integer, Flag, Nested {
        boolean required();
    }

    public record Text(boolean required, int minLength, int maxLength, Pattern pattern) implements Spec {
    }

    public record Binary(boolean required, int minBytes, int maxBytes) implements Spec {
    }

    public record Integer(boolean required, long min, long max) implements Spec {
    }

    public record Flag(boolean required) implements Spec {
    }

    public record Nested(boolean required, RequestSchema schema) implements Spec {
    }

    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]*");

    private final String name;
    private final Map<String, Spec> fields;

    private RequestSchema(String name, Map<String, Spec> fields) {
        this.name = name;
        this.fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    public Map<String, Spec> fields() {
        return fields;
    }

    /** A builder that copies this schema's fields, to add an operation's own fields to the common ones. */
    public Builder extend(String newName) {
        Builder b = new Builder(newName);
        b.fields.putAll(fields);
        return b;
    }

    public Fields validate(Map<String, Object> body) {
        return validate(body, "");
    }

    private Fields validate(Map<String, Object> body, String prefix) {
        for (String key : body.keySet()) {
            if (!fields.containsKey(key)) {
                throw new CosignException(CosignErrors.UNKNOWN_FIELD,
                        name + ": unknown field '" + prefix + clip(key) + "'");
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, Spec> f : fields.entrySet()) {
            String field = prefix + f.getKey();
            Object v = body.get(f.getKey());
            if (v == null) {
                if (f.getValue().required()) {
                    throw invalid(field, "is required");
                }
                continue;
            }
            if (v == StrictJson.NULL) {
                throw invalid(field, "must not be null");
            }
            values.put(f.getKey(), check(field, f.getValue(), v));
        }
        return new Fields(name, values);
    }

    @SuppressWarnings("unchecked")
    private Object check(String field, Spec spec, Object v) {
        if (spec instanceof Text t) {
            if (!(v instanceof String s)) {
                throw invalid(field, "must be a string");
            }
            if (s.length() < t.minLength() || s.length() > t.maxLength()) {
                throw invalid(field, "must be " + t.minLength() + ".." + t.maxLength() + " characters, was " + s.length());
            }
            if (t.pattern() != null && !t.pattern().matcher(s).matches()) {
                throw invalid(field, "must match " + t.pattern().pattern());
            }
            return s;
        }
        if (spec instanceof Binary b) {
            if (!(v instanceof String s)) {
                throw invalid(field, "must be a base64url string");
            }
            byte[] bytes = decodeBase64Url(field, s);
            if (bytes.length < b.minBytes() || bytes.length > b.maxBytes()) {
                throw new CosignException(CosignErrors.BAD_BASE64, name + ": field '" + field + "' must decode to "
                        + (b.minBytes() == b.maxBytes() ? b.minBytes() : b.minBytes() + ".." + b.maxBytes())
                        + " bytes, got " + bytes.length);
            }
            return bytes;
        }
        if (spec instanceof Integer i) {
            if (!(v instanceof Long l)) {
                throw invalid(field, "must be an integer");
            }
            if (l < i.min() || l > i.max()) {
                throw invalid(field, "must be in " + i.min() + ".." + i.max() + ", was " + l);
            }
            return l;
        }
        if (spec instanceof Flag) {
            if (!(v instanceof Boolean)) {
                throw invalid(field, "must be true or false");
            }
            return v;
        }
        Nested n = (Nested) spec;
        if (!(v instanceof Map)) {
            throw invalid(field, "must be an object");
        }
        return n.schema().validate((Map<String, Object>) v, field + ".");
    }

    /** Unpadded base64url in its canonical form (RFC 4648 §5, §3.5): no '=', no stray low bits. */
    static byte[] decodeBase64Url(String field, String s) {
        if (!BASE64URL.matcher(s).matches() || s.length() % 4 == 1) {
            throw new CosignException(CosignErrors.BAD_BASE64, "field '" + field
                    + "' is not unpadded base64url (alphabet A-Z a-z 0-9 - _, no '=')");
        }
        byte[] out = Base64.getUrlDecoder().decode(s);
        if (!Base64.getUrlEncoder().withoutPadding().encodeToString(out).equals(s)) {
            throw new CosignException(CosignErrors.BAD_BASE64, "field '" + field + "' is not canonical base64url (stray low bits)");
        }
        return out;
    }

    private CosignException invalid(String field, String what) {
        return new CosignException(CosignErrors.INVALID_FIELD, name + ": field '" + field + "' " + what);
    }

    private static String clip(String s) {
        String printable = s.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() > 40 ? printable.substring(0, 40) + "…" : printable;
    }

    /** Adds fields in the order the API document lists them. */
    public static final class Builder {
        private final String name;
        private final Map<String, Spec> fields = new LinkedHashMap<>();

        private Builder(String name) {
            this.name = name;
        }

        public Builder text(String field, boolean required, int min, int max, String pattern) {
            return add(field, new Text(required, min, max, pattern == null ? null : Pattern.compile(pattern)));
        }

        public Builder binary(String field, boolean required, int bytes) {
            return add(field, new Binary(required, bytes, bytes));
        }

        public Builder binary(String field, boolean required, int minBytes, int maxBytes) {
            return add(field, new Binary(required, minBytes, maxBytes));
        }

        public Builder integer(String field, boolean required, long min, long max) {
            return add(field, new Integer(required, min, max));
        }

        public Builder flag(String field, boolean required) {
            return add(field, new Flag(required));
        }

        public Builder nested(String field, boolean required, RequestSchema schema) {
            return add(field, new Nested(required, schema));
        }

        private Builder add(String field, Spec spec) {
            if (fields.put(field, spec) != null) {
                throw new IllegalArgumentException(name + ": field " + field + " defined twice");
            }
            return this;
        }

        public RequestSchema build() {
            return new RequestSchema(name, fields);
        }
    }
}
