package io.gmgate.app.wiring;

import javax.sql.DataSource;

import io.gmgate.crypto.card.CipherCard;
import io.gmgate.gateway.admin.AdminTokens;
import io.gmgate.keystore.PgAuditLog;
import io.gmgate.keystore.ShardStore;

/**
 * What a gateway node trusts and stores in: the site's database and key store, the cipher card and the
 * index of the KEK the audit chain (and the cluster's sealed maps) are under, and the admin API's tokens.
 */
public record NodeStores(DataSource database, CipherCard card, int auditKek, ShardStore shards, AdminTokens adminTokens) {

    /** The site's audit chain, as this node appends to it. */
    public PgAuditLog auditLog() {
        return new PgAuditLog(database, card, auditKek);
    }
}
