package io.gmgate.gateway.admin;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/** An authenticated person or system calling the admin API, with the roles it holds. */
public record Operator(String name, Set<Role> roles) {

    public Operator {
        Objects.requireNonNull(name, "name");
        roles = Set.copyOf(roles);
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("operator " + name + " holds no role");
        }
        if (roles.contains(Role.AUDITOR) && roles.size() > 1) {
            throw new IllegalArgumentException("operator " + name + ": the auditor can hold no other role (design §9)");
        }
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }

    public boolean hasAny(Set<Role> wanted) {
        EnumSet<Role> r = EnumSet.noneOf(Role.class);
        r.addAll(roles);
        r.retainAll(wanted);
        return !r.isEmpty();
    }
}
