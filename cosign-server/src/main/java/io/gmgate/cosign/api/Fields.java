package io.gmgate.cosign.api;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import io.gmgate.crypto.Sm3;

/** The checked fields of one request, typed. Only {@link RequestSchema#validate} makes these. */
public final class Fields {

    private final String schema;
    private final Map<String, Object> values;

    Fields(String schema, Map<String, Object> values) {
        this.schema = schema;
        this.values = values;
    }

    public String schema() {
        return schema;
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public String text(String name) {
        return (String) require(name);
    }

    public Optional<String> optText(String name) {
        return Optional.ofNullable((String) values.get(name));
    }

    public byte[] binary(String name) {
        return ((byte[]) require(name)).clone();
    }

    public long integer(String name) {
        return (Long) require(name);
    }

    public Optional<Long> optInteger(String name) {
        return Optional.ofNullable((Long) values.get(name));
    }

    public boolean flag(String name) {
        return (Boolean) require(name);
    }

    public Fields nested(String name) {
        return (Fields) require(name);
    }

    public Optional<Fields> optNested(String name) {
        return Optional.ofNullable((Fields) values.get(name));
    }

    /**
     * SM3 over a canonical, type-tagged encoding of every field except {@code excluded} (the session,
     * nonce and confirmation that legitimately differ between a request and its retry): the request
     * identity that an idempotency key is bound to.
     */
    public byte[] digest(Set<String> excluded) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        encode(out, excluded);
        return Sm3.digest(out.toByteArray());
    }

    private void encode(ByteArrayOutputStream out, Set<String> excluded) {
        for (Map.Entry<String, Object> e : new TreeMap<>(values).entrySet()) {
            if (excluded.contains(e.getKey())) {
                continue;
            }
            field(out, 'k', e.getKey().getBytes(StandardCharsets.UTF_8));
            Object v = e.getValue();
            if (v instanceof String s) {
                field(out, 's', s.getBytes(StandardCharsets.UTF_8));
            } else if (v instanceof byte[] b) {
                field(out, 'b', b);
            } else if (v instanceof Long l) {
                field(out, 'i', Long.toString(l).getBytes(StandardCharsets.US_ASCII));
            } else if (v instanceof Boolean f) {
                field(out, 'f', new byte[] {(byte) (f ? 1 : 0)});
            } else {
                out.write('{');
                ((Fields) v).encode(out, Set.of());
                out.write('}');
            }
        }
    }

    private static void field(ByteArrayOutputStream out, char tag, byte[] value) {
        out.write(tag);
        int n = value.length;
        out.write(n >>> 24);
        out.write(n >>> 16);
        out.write(n >>> 8);
        out.write(n);
        out.writeBytes(value);
    }

    private Object require(String name) {
        Object v = values.get(name);
        if (v == null) {
            throw new IllegalStateException(schema + ": field " + name + " is not present (optional?)");
        }
        return v;
    }

    @Override
    public String toString() {
        // Field names only: values may be passwords or key material.
        return "Fields[" + schema + " " + values.keySet() + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Fields f && f.schema.equals(schema) && Arrays.equals(f.digest(Set.of()), digest(Set.of()));
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(digest(Set.of()));
    }
}
