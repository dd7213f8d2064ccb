package io.gmgate.app.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * One mapping of the configuration file, read key by key into typed values. Every error names
 * the full key path ("gateway.trading.fronts[1].port"). Keys nobody read are refused by
 * {@link #done()}, so a typo does not silently fall back to a default.
 */
public final class ConfigNode {

    private final JsonNode node;
    private final String path;
    private final String source;
    private final Set<String> read = new HashSet<>();

    ConfigNode(JsonNode node, String path, String source) {
        this.node = node;
        this.path = path;
        this.source = source;
        if (!node.isMissingNode() && !node.isObject()) {
            throw error(path, "must be a mapping of keys");
        }
    }

    public String path() {
        return path;
    }

    private JsonNode get(String key) {
        read.add(key);
        JsonNode v = node.path(key);
        return v.isNull() ? MissingNode.getInstance() : v;
    }

    private String at(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    public boolean has(String key) {
        return !node.path(key).isMissingNode() && !node.path(key).isNull();
    }

    public String string(String key) {
        return optionalString(key).orElseThrow(() -> error(at(key), "is required"));
    }

    public String string(String key, String fallback) {
        return optionalString(key).orElse(fallback);
    }

    public Optional<String> optionalString(String key) {
        JsonNode v = get(key);
        if (v.isMissingNode()) {
            return Optional.empty();
        }
        if (!v.isTextual() && !v.isNumber() && !v.isBoolean()) {
            throw error(at(key), "must be a text value");
        }
        String s = v.asText();
        if (s.isBlank()) {
            throw error(at(key), "must not be empty");
        }
        return Optional.of(s);
    }

    public int integer(String key, int fallback, int min, int max) {
        JsonNode v = get(key);
        if (v.isMissingNode()) {
            return fallback;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            throw error(at(key), "must be a whole number, got '" + v.asText() + "'");
        }
        int i = v.asInt();
        if (i < min || i > max) {
            throw error(at(key), "must be within " + min + ".." + max + ", got " + i);
        }
        return i;
    }

    public int port(String key, int fallback) {
        return integer(key, fallback, 0, 65_535);
    }

    public double decimal(String key, double fallback, double min) {
        JsonNode v = get(key);
        if (v.isMissingNode()) {
            return fallback;
        }
        if (!v.isNumber() || v.asDouble() < min) {
            throw error(at(key), "must be a number of at least " + min + ", got '" + v.asText() + "'");
        }
        return v.asDouble();
    }

    public boolean bool(String key, boolean fallback) {
        JsonNode v = get(key);
        if (v.isMissingNode()) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw error(at(key), "must be true or false, got '" + v.asText() + "'");
        }
        return v.asBoolean();
    }

    /** ISO-8601 ("PT30S") or the short forms "500ms", "30s", "5m", "2h", "90d". */
    public Duration duration(String key, Duration fallback) {
        Optional<String> s = optionalString(key);
        return s.isEmpty() ? fallback : parseDuration(at(key), s.get());
    }

    /** Parses a duration as the configuration writes it (also for command-line options). */
    public static Duration duration(String where, String s) {
        return parseDuration(where, s);
    }

    static Duration parseDuration(String where, String s) {
        try {
            if (s.startsWith("P") || s.startsWith("p")) {
                return Duration.parse(s);
            }
            String num = s.replaceAll("[a-z]+$", "");
            long n = Long.parseLong(num);
            Duration d = switch (s.substring(num.length())) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> throw new NumberFormatException();
            };
            if (d.isNegative()) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new ConfigException(where + ": '" + s + "' is not a duration (e.g. 30s, 5m, PT30S)");
        }
    }

    public <E extends Enum<E>> E enumValue(String key, Class<E> type, E fallback) {
        Optional<String> s = optionalString(key);
        if (s.isEmpty()) {
            return fallback;
        }
        String wanted = s.get().trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(wanted)) {
                return e;
            }
        }
        throw error(at(key), "must be one of " + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(java.util.Locale.ROOT)
                + ", got '" + s.get() + "'");
    }

    public ConfigNode section(String key) {
        return new ConfigNode(get(key), at(key), source);
    }

    public List<String> strings(String key) {
        JsonNode v = get(key);
        if (v.isMissingNode()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw error(at(key), "must be a list");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : v) {
            if (!item.isValueNode()) {
                throw error(at(key), "must be a list of text values");
            }
            out.add(item.asText());
        }
        return out;
    }

    /** A mapping of text values, e.g. a vendor's options; keys keep the file's order. */
    public Map<String, String> stringMap(String key) {
        JsonNode v = get(key);
        if (v.isMissingNode()) {
            return Map.of();
        }
        if (!v.isObject()) {
            throw error(at(key), "must be a mapping of keys");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                throw error(at(key) + "." + e.getKey(), "must be a text value");
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    /** A list of mappings, each read by {@code reader} and checked for unknown keys. */
    public <T> List<T> list(String key, Function<ConfigNode, T> reader) {
        JsonNode v = get(key);
        if (v.isMissingNode()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw error(at(key), "must be a list");
        }
        List<T> out = new ArrayList<>();
        int i = 0;
        for (JsonNode item : v) {
            ConfigNode child = new ConfigNode(item, at(key) + "[" + i++ + "]", source);
            out.add(reader.apply(child));
            child.done();
        }
        return out;
    }

    /** Refuses keys that no reader asked for. */
    public void done() {
        if (node.isMissingNode()) {
            return;
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!read.contains(k)) {
                throw error(at(k), "is not a known setting (misspelt?)");
            }
        }
    }

    public ConfigException error(String where, String what) {
        return new ConfigException(source + ": " + where + " " + what);
    }
}
