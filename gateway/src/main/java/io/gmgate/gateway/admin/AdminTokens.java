package io.gmgate.gateway.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import io.gmgate.crypto.Sm3;

/**
 * Bearer tokens for the admin API, kept as SM3 hashes only: a line per operator,
 * {@code <sm3-hex-of-token> <name> <role>[,<role>…]}, '#' comments. A leaked file gives no token;
 * lookups compare every entry in constant time.
 */
public final class AdminTokens {

    private record Entry(byte[] hash, Operator operator) {
    }

    private final List<Entry> entries;

    private AdminTokens(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    public static AdminTokens load(Path file) throws IOException {
        return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
    }

    public static AdminTokens parse(List<String> lines, String source) {
        List<Entry> entries = new ArrayList<>();
        int n = 0;
        for (String raw : lines) {
            n++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\s+");
            if (f.length != 3 || !f[0].matches("[0-9a-fA-F]{64}")) {
                throw new IllegalArgumentException(source + ":" + n + ": expected '<sm3-hex> <name> <roles>'");
            }
            Set<Role> roles = Arrays.stream(f[2].split(",")).map(Role::parse).collect(Collectors.toSet());
            entries.add(new Entry(HexFormat.of().parseHex(f[0]), new Operator(f[1], roles)));
        }
        return new AdminTokens(entries);
    }

    /** The line to add to the tokens file for a new token. */
    public static String line(String token, String name, Set<Role> roles) {
        return hashHex(token) + " " + name + " "
                + roles.stream().map(r -> r.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')).sorted()
                        .collect(Collectors.joining(","));
    }

    static String hashHex(String token) {
        return HexFormat.of().formatHex(Sm3.digest(token.getBytes(StandardCharsets.UTF_8)));
    }

    public Optional<Operator> authenticate(String token) {
        byte[] h = Sm3.digest(token.getBytes(StandardCharsets.UTF_8));
        Operator found = null;
        for (Entry e : entries) {
            if (MessageDigest.isEqual(e.hash, h)) {
                found = e.operator;
            }
        }
        return Optional.ofNullable(found);
    }
}
