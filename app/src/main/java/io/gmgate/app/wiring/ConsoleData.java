package io.gmgate.app.wiring;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import io.gmgate.crypto.card.CipherCard;
import io.gmgate.gateway.admin.ConsoleViews;
import io.gmgate.gateway.admin.MeterSampler;
import io.gmgate.gateway.admin.Operator;
import io.gmgate.keystore.AuditRecord;
import io.gmgate.keystore.AuditVerification;
import io.gmgate.keystore.PgAuditLog;
import io.gmgate.session.ModeRegistry;
import io.gmgate.session.PgModeStore;
import io.gmgate.session.Scope;

/**
 * The web console's data on a gateway node (docs/console.md): the site as every node reports it on the
 * {@link NodeBoard}, the mode table and history, the access policy to publish, certificates in their
 * renewal window and the audit trail from PostgreSQL, the charts from this node's meters.
 */
final class ConsoleData implements ConsoleViews {

    /** The online renewal window (docs/ca-client.md, "Renewal": it opens 90 days before expiry), as the cosign service's default. */
    static final Duration RENEWAL_WINDOW = Duration.ofDays(90);
    private static final int HISTORY = 30;

    private final String node;
    private final DataSource database;
    private final CipherCard card;
    private final int auditKek;
    private final Clock clock;
    private final ModeRegistry modes;
    private final NodeBoard board;
    private final MeterSampler meters;
    private final ConsolePolicy policy;

    ConsoleData(String node, DataSource database, CipherCard card, int auditKek, Clock clock, ModeRegistry modes,
                NodeBoard board, MeterSampler meters) {
        this.node = node;
        this.database = database;
        this.card = card;
        this.auditKek = auditKek;
        this.clock = clock;
        this.modes = modes;
        this.board = board;
        this.meters = meters;
        this.policy = new ConsolePolicy(node, database, card, clock);
    }

    @Override
    public Map<String, Object> site() {
        Map<String, Object> site = new LinkedHashMap<>(board.site());
        site.put("caLines", crlLines());
        return site;
    }

    @Override
    public Map<String, Object> modeTable() {
        List<PgModeStore.Change> history = modes.history(HISTORY);
        Map<Scope, String> origin = new HashMap<>();
        for (PgModeStore.Change c : history) {
            origin.putIfAbsent(c.scope(), c.origin().name()); // newest first
        }
        List<Map<String, Object>> settings = new ArrayList<>();
        modes.view().forEach((scope, s) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("scope", scope.toString());
            m.put("mode", s.mode().name());
            m.put("origin", origin.getOrDefault(scope, "OPERATOR"));
            m.put("reason", s.reason());
            m.put("operator", s.operator());
            m.put("setAt", s.setAt().toString());
            m.put("expiresAt", s.expiresAt().map(Instant::toString).orElse(null));
            settings.add(m);
        });
        List<Map<String, Object>> changes = history.stream().map(c -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("at", c.at().toString());
            m.put("scope", c.scope().toString());
            m.put("from", String.valueOf(c.from()));
            m.put("to", c.to().name());
            m.put("operator", c.operator());
            m.put("origin", c.origin().name());
            m.put("reason", c.reason());
            return m;
        }).toList();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("effective", modes.effective(GatewayNode.TRADING).name());
        out.put("settings", settings);
        out.put("history", changes);
        return out;
    }

    @Override
    public Map<String, Object> publishPolicy(String mode, Optional<Duration> ttl, Operator by) {
        return policy.publish(mode, ttl, "admin:" + by.name());
    }

    @Override
    public Optional<String> accountOfCertificate(String serialHex) {
        return query("SELECT account FROM ca_certificates WHERE serial = ?", ps -> ps.setString(1, serialHex),
                rs -> rs.getString(1)).stream().findFirst();
    }

    @Override
    public List<Map<String, Object>> expiringCertificates() {
        Instant now = clock.instant();
        // live trader certificates not yet replaced by a renewal, whose window is open
        return query("SELECT serial, kind, account, device, not_after FROM ca_certificates c WHERE status = 'GOOD'"
                + " AND kind IN ('SIGN', 'ENCRYPTION') AND not_after > ? AND not_after <= ?"
                + " AND NOT EXISTS (SELECT 1 FROM ca_certificates r WHERE r.replaces = c.serial OR r.replaces = c.pair_serial)"
                + " ORDER BY not_after LIMIT 500", ps -> {
                    ps.setTimestamp(1, Timestamp.from(now));
                    ps.setTimestamp(2, Timestamp.from(now.plus(RENEWAL_WINDOW)));
                }, rs -> {
                    Instant notAfter = rs.getTimestamp(5).toInstant();
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("serial", rs.getString(1));
                    m.put("kind", rs.getString(2));
                    m.put("account", rs.getString(3));
                    m.put("device", rs.getString(4));
                    m.put("notAfter", notAfter.toString());
                    m.put("daysLeft", Duration.between(now, notAfter).toDays());
                    return m;
                });
    }

    @Override
    public Map<String, Object> auditTrail(int limit) {
        PgAuditLog log = new PgAuditLog(database, card, auditKek);
        AuditVerification v = log.verify();
        long last = query("SELECT coalesce(max(seq), 0) FROM ks_audit", ps -> { }, rs -> rs.getLong(1)).get(0);
        List<AuditRecord> records = last == 0 ? List.of() : log.read(Math.max(1, last - limit + 1), limit);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = records.size() - 1; i >= 0; i--) {
            AuditRecord r = records.get(i);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("seq", r.seq());
            m.put("at", r.at().toString());
            m.put("actor", r.event().actor());
            m.put("action", r.event().action());
            m.put("account", r.event().account() == null ? "" : r.event().account());
            m.put("detail", r.event().detail());
            rows.add(m);
        }
        String detail = v.intact() ? v.recordsVerified() + " records, every MAC link holds (last #" + v.lastSeq() + ")"
                : "KEY-109 broken at record #" + v.firstBadSeq() + ": " + v.problem();
        return Map.of("records", rows, "verification", Map.of("intact", v.intact(), "detail", detail));
    }

    @Override
    public Map<String, Object> meters() {
        return meters.points();
    }

    /** The CA's revocation lists as this site's gateways read them: a list past its next update is a line down. */
    private List<Map<String, Object>> crlLines() {
        Instant now = clock.instant();
        return query("SELECT issuer, max(next_update) FROM ca_crls GROUP BY issuer ORDER BY issuer", ps -> { }, rs -> {
            Instant next = rs.getTimestamp(2).toInstant();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", "CRL " + rs.getString(1));
            m.put("up", next.isAfter(now));
            m.put("detail", (next.isAfter(now) ? "fresh, next update " : "OVERDUE since ") + next);
            return m;
        });
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private interface Reader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> List<T> query(String sql, Binder bind, Reader<T> read) {
        try (Connection c = database.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind.bind(ps);
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read.read(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("[console " + node + "] query failed: " + e.getSQLState());
        }
    }
}
