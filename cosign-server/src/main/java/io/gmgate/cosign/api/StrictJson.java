package io.gmgate.cosign.api;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;

import io.gmgate.cosign.CosignErrors;
import io.gmgate.cosign.CosignException;

/**
 * Reads a request body into plain Java values, refusing what a lenient parser would let through:
 * duplicate keys, trailing content, nesting deeper than {@link #MAX_DEPTH}, non-object bodies.
 * Values: String, Long (integers that fit), {@link #NON_INTEGER} marker for other numbers, Boolean,
 * {@link #NULL}, Map (insertion order), List. Types are checked later by {@link RequestSchema}.
 */
public final class StrictJson {

    public static final int MAX_DEPTH = 4;

    /** JSON null: kept distinct from "absent" so the schema can name it. */
    public static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    /** A number that is not an integer in the range of a long: no field accepts one. */
    public static final Object NON_INTEGER = new Object() {
        @Override
        public String toString() {
            return "non-integer number";
        }
    };

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH + 1)
                    .maxNumberLength(40).maxStringLength(65_536).build())
            .build();

    private StrictJson() {
    }

    public static Map<String, Object> parseObject(byte[] body) {
        try (JsonParser p = FACTORY.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw malformed("the body must be one JSON object", null);
            }
            Map<String, Object> out = readObject(p, 1);
            if (p.nextToken() != null) {
                throw malformed("content after the JSON object", null);
            }
            return out;
        } catch (IOException e) {
            throw malformed(firstLine(e.getMessage()), e);
        }
    }

    private static Map<String, Object> readObject(JsonParser p, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw malformed("objects nested deeper than " + MAX_DEPTH, null);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            out.put(name, readValue(p, p.nextToken(), depth));
        }
        if (t != JsonToken.END_OBJECT) {
            throw malformed("unterminated object", null);
        }
        return out;
    }

    private static Object readValue(JsonParser p, JsonToken t, int depth) throws IOException {
        if (t == null) {
            throw malformed("unexpected end of input", null);
        }
        switch (t) {
            case START_OBJECT:
                return readObject(p, depth + 1);
            case START_ARRAY:
                if (depth + 1 > MAX_DEPTH) {
                    throw malformed("arrays nested deeper than " + MAX_DEPTH, null);
                }
                List<Object> list = new ArrayList<>();
                JsonToken e;
                while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                    list.add(readValue(p, e, depth + 1));
                }
                return list;
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                BigInteger big = p.getBigIntegerValue();
                return big.bitLength() < 64 ? (Object) big.longValue() : NON_INTEGER;
            case VALUE_NUMBER_FLOAT:
                return NON_INTEGER;
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return NULL;
            default:
                throw malformed("unexpected token " + t, null);
        }
    }

    private static CosignException malformed(String why, Throwable cause) {
        CosignException e = new CosignException(CosignErrors.MALFORMED_JSON, "request body: " + why);
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "not JSON";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) : line;
    }
}
