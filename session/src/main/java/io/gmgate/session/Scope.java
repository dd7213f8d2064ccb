package io.gmgate.session;

import java.util.Objects;

/**
 * Where a mode applies: the whole cluster, one site, or one listener (design §5). A listener's
 * mode overrides its site's, which overrides the cluster's. Written "cluster", "site:sh",
 * "listener:trading".
 */
public record Scope(Kind kind, String name) {

    public enum Kind { CLUSTER, SITE, LISTENER }

    public static final Scope CLUSTER = new Scope(Kind.CLUSTER, "");

    public Scope {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        if ((kind == Kind.CLUSTER) != name.isEmpty() || !name.matches("[A-Za-z0-9._-]{0,64}")) {
            throw new SessionException(SessionErrors.BAD_SCOPE, "scope " + kind + " '" + name + "' is not valid");
        }
    }

    public static Scope site(String name) {
        return new Scope(Kind.SITE, name);
    }

    public static Scope listener(String name) {
        return new Scope(Kind.LISTENER, name);
    }

    public static Scope parse(String text) {
        String t = text.trim();
        if (t.equals("cluster")) {
            return CLUSTER;
        }
        int colon = t.indexOf(':');
        if (colon > 0) {
            String kind = t.substring(0, colon);
            String name = t.substring(colon + 1);
            if (kind.equals("site")) {
                return site(name);
            }
            if (kind.equals("listener")) {
                return listener(name);
            }
        }
        throw new SessionException(SessionErrors.BAD_SCOPE,
                "scope '" + text + "' must be cluster, site:NAME or listener:NAME");
    }

    @Override
    public String toString() {
        return kind == Kind.CLUSTER ? "cluster" : kind.name().toLowerCase(java.util.Locale.ROOT) + ":" + name;
    }
}
