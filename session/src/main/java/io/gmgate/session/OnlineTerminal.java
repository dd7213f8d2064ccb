package io.gmgate.session;

import java.time.Instant;

import io.vertx.core.json.JsonObject;

/** One terminal connected to some gateway node: who, where, since when, how much traffic. */
public record OnlineTerminal(String connectionId, String node, String listener, String account, String source,
                             String protocol, String suite, Instant since, long bytesUp, long bytesDown) {

    String encode() {
        return new JsonObject().put("connectionId", connectionId).put("node", node).put("listener", listener)
                .put("account", account).put("source", source).put("protocol", protocol).put("suite", suite)
                .put("since", since.toString()).put("bytesUp", bytesUp).put("bytesDown", bytesDown).encode();
    }

    static OnlineTerminal decode(String json) {
        JsonObject j = new JsonObject(json);
        return new OnlineTerminal(j.getString("connectionId"), j.getString("node"), j.getString("listener"),
                j.getString("account"), j.getString("source"), j.getString("protocol"), j.getString("suite"),
                Instant.parse(j.getString("since")), j.getLong("bytesUp"), j.getLong("bytesDown"));
    }
}
