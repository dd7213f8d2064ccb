package io.gmgate.app.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The {@code cosign.ca:} section (design §7, docs/drills.md C3): the CAs the cosign node issues through,
 * in priority order — the embedded CA and external CAs over CMP (a backup line, a second vendor) —
 * each behind its own circuit breaker, and what makes a breaker open. Secrets stay in files named
 * here; they are read when the node starts, never kept in the configuration.
 */
public record CaLines(List<Line> lines, Duration timeout, int attempts, Duration openWait) {

    /** One CA. */
    public sealed interface Line permits Embedded, Cmp {
        String name();
    }

    /** The embedded CA of this database (`gmgate ca init`); it names itself "embedded". */
    public record Embedded() implements Line {
        @Override
        public String name() {
            return "embedded";
        }
    }

    /**
     * An external CA over CMP with password-based MAC (SM3) protection. The CA's name is given, or
     * read from its issuing certificate (which also lets every answer be checked against it).
     */
    public record Cmp(String name, URI url, Optional<String> caName, String reference, String secretFile,
                      Optional<String> issuerCertificate, Duration connectTimeout, Duration requestTimeout) implements Line {
    }

    static CaLines read(ConfigNode n) {
        List<Line> lines = n.list("lines", CaLines::line);
        if (lines.isEmpty()) {
            throw n.error(n.path() + ".lines", "must list at least one CA");
        }
        if (lines.stream().map(Line::name).distinct().count() != lines.size()) {
            throw n.error(n.path() + ".lines", "CA names must be unique: they name the circuit breakers");
        }
        if (lines.stream().filter(l -> l instanceof Embedded).count() > 1) {
            throw n.error(n.path() + ".lines", "the embedded CA can be listed once");
        }
        CaLines c = new CaLines(lines, n.duration("timeout", Duration.ofSeconds(10)), n.integer("attempts", 2, 1, 5),
                n.duration("openWait", Duration.ofSeconds(30)));
        n.done();
        return c;
    }

    private static Line line(ConfigNode l) {
        String kind = l.string("kind");
        Line line = switch (kind) {
            case "embedded" -> new Embedded();
            case "cmp" -> cmp(l);
            default -> throw l.error(l.path() + ".kind", "must be embedded or cmp, got '" + kind + "'");
        };
        l.done();
        return line;
    }

    private static Cmp cmp(ConfigNode l) {
        Cmp c = new Cmp(l.string("name"), uri(l), l.optionalString("caName"), l.string("reference"), l.string("secretFile"),
                l.optionalString("issuerCertificate"), l.duration("connectTimeout", Duration.ofSeconds(3)),
                l.duration("requestTimeout", Duration.ofSeconds(15)));
        if (c.caName().isEmpty() && c.issuerCertificate().isEmpty()) {
            throw l.error(l.path(), "needs caName or issuerCertificate (the CA's name is read from it)");
        }
        return c;
    }

    private static URI uri(ConfigNode l) {
        String text = l.string("url");
        try {
            URI u = URI.create(text);
            if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
                throw l.error(l.path() + ".url", "must be an http(s) URL, got '" + text + "'");
            }
            return u;
        } catch (IllegalArgumentException e) {
            throw l.error(l.path() + ".url", "is not a URL: " + text);
        }
    }
}
