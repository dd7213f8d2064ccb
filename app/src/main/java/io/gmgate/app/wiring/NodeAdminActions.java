package io.gmgate.app.wiring;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import io.gmgate.cosign.pg.CosignJdbc;
import io.gmgate.cosign.pg.PgDeviceApprovals;
import io.gmgate.gateway.FrontPool;
import io.gmgate.gateway.GatewayErrors;
import io.gmgate.gateway.GatewayException;
import io.gmgate.gateway.admin.AdminActions;
import io.gmgate.gateway.admin.Operator;
import io.gmgate.keystore.AuditEvent;
import io.gmgate.keystore.KeyRecord;
import io.gmgate.keystore.LockReason;
import io.gmgate.session.AccessMode;
import io.gmgate.session.ClusterNode;
import io.gmgate.session.ModeRegistry;
import io.gmgate.session.OnlineRegistry;
import io.gmgate.session.OnlineTerminal;
import io.gmgate.session.Scope;
import io.vertx.core.eventbus.Message;

/** The admin API's actions on one gateway node and its cluster. */
final class NodeAdminActions implements AdminActions {

    private final String name;
    private final String site;
    private final NodeStores stores;
    private final Clock clock;
    private final Duration disconnectWait;
    private final ModeRegistry modes;
    private final OnlineRegistry online;
    private final NodeBoard board;
    private final Predicate<String> disconnectHere;
    private final Map<String, Integer> ports;
    private final ClusterNode cluster;
    private final FrontPool tradingFronts;

    /**
     * @param disconnectHere closes a connection this node holds, false if it holds none by that id
     * @param ports          the node's open listeners by name, as they open and close
     */
    NodeAdminActions(String name, String site, NodeStores stores, Clock clock, Duration disconnectWait, ModeRegistry modes,
                     OnlineRegistry online, NodeBoard board, Predicate<String> disconnectHere, Map<String, Integer> ports,
                     ClusterNode cluster, FrontPool tradingFronts) {
        this.name = name;
        this.site = site;
        this.stores = stores;
        this.clock = clock;
        this.disconnectWait = disconnectWait;
        this.modes = modes;
        this.online = online;
        this.board = board;
        this.disconnectHere = disconnectHere;
        this.ports = ports;
        this.cluster = cluster;
        this.tradingFronts = tradingFronts;
    }

    @Override
    public Map<String, String> modes() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("effective:" + GatewayNode.TRADING, modes.effective(GatewayNode.TRADING).name());
        modes.view().forEach((scope, s) -> out.put(scope.toString(), s.mode().name()
                + s.expiresAt().map(e -> " until " + e).orElse("")));
        return out;
    }

    @Override
    public void setMode(String scope, String mode, String reason, Optional<Duration> ttl, Operator by) {
        AccessMode m;
        try {
            m = AccessMode.valueOf(mode.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("mode must be NORMAL, ONE_WAY or BYPASS, got '" + mode + "'");
        }
        modes.set(Scope.parse(scope), m, reason, "admin:" + by.name(), ttl);
    }

    @Override
    public List<Map<String, Object>> onlineTerminals() {
        Map<String, String> names = board.nodeNames();
        return online.all().stream().map(t -> describe(t, names)).toList();
    }

    @Override
    public boolean disconnect(String connectionId, Operator by) {
        if (disconnectHere.test(connectionId)) {
            return true;
        }
        Optional<String> holder = online.all().stream().filter(t -> t.connectionId().equals(connectionId))
                .map(OnlineTerminal::node).findFirst();
        if (holder.isEmpty() || holder.get().equals(online.node())) {
            return false;
        }
        try {
            return cluster.vertx().eventBus().<Boolean>request(GatewayNode.disconnectAddress(holder.get()), connectionId)
                    .map(Message::body).toCompletionStage().toCompletableFuture()
                    .get(disconnectWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException unreachable) {
            throw new GatewayException(GatewayErrors.ADMIN_ACTION_FAILED,
                    "[admin " + name + "] cluster member " + holder.get() + " holding " + connectionId
                            + " did not answer within " + disconnectWait.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void setCertificateLocked(String serialHex, boolean locked, String reason, Operator by) {
        List<KeyRecord> records = stores.shards().keysForCertificate(serialHex);
        if (records.isEmpty()) {
            throw new IllegalArgumentException("no key record behind certificate " + serialHex);
        }
        // An operator's lock covers every live key of each device holding the certificate: the sign key and the
        // encryption key together (docs/security.md, "Key rows and locks"). It is the OPERATOR reason, which neither the trader's unlock
        // nor a PIN reset lifts; the operator's unlock lifts OPERATOR and PIN (he checked the holder), never the
        // trader's own lock.
        String actor = "admin:" + by.name();
        for (List<String> device : records.stream().map(k -> List.of(k.account(), k.device())).distinct().toList()) {
            if (locked) {
                stores.shards().lock(device.get(0), device.get(1), LockReason.OPERATOR, actor, reason);
            } else {
                stores.shards().unlock(device.get(0), device.get(1), LockReason.OPERATOR, actor, reason);
                stores.shards().unlock(device.get(0), device.get(1), LockReason.PIN, actor, reason);
            }
        }
    }

    @Override
    public void approveDevice(String account, String device, String reason, Operator by) {
        if (reason.length() > 200) {
            throw new IllegalArgumentException("reason must be at most 200 characters");
        }
        new PgDeviceApprovals(CosignJdbc.of(stores.database(), name))
                .approve(account, device, "admin:" + by.name(), reason, clock.instant());
        stores.auditLog().append(new AuditEvent(
                "admin:" + by.name(), "device-approve", account, device, null, null, reason, null));
    }

    @Override
    public Map<String, Object> status() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("node", name);
        s.put("site", site);
        s.put("ports", Map.copyOf(ports));
        s.put("mode", modes.effective(GatewayNode.TRADING).name());
        s.put("modeEpoch", modes.epoch());
        s.put("modeSource", modes.source());
        s.put("clusterMembers", cluster.members());
        s.put("tradingFrontsUp", tradingFronts.healthyFronts());
        s.put("online", online.all().size());
        return s;
    }

    private static Map<String, Object> describe(OnlineTerminal t, Map<String, String> names) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.connectionId());
        m.put("account", t.account());
        m.put("node", names.getOrDefault(t.node(), t.node()));
        m.put("member", t.node());
        m.put("listener", t.listener());
        m.put("source", t.source());
        m.put("suite", t.suite());
        m.put("since", t.since().toString());
        return m;
    }
}
