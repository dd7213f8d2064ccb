package io.gmgate.ca.cmp;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Who may talk to the embedded CA over CMP. A client is a reference (the senderKID) and its
 * pre-shared secret (RFC 4210 §5.1.3.1); an RA client may also vouch for proof of possession
 * (raVerified, RFC 4211 §4.3), as gmgate itself does for co-signed keys. Requests signed with a
 * certificate this CA issued are accepted when {@code signedRequests} is on (RFC 4210 §5.1.3.3).
 */
public record CmpServerSettings(List<Client> clients, boolean signedRequests) {

    /** One MAC client. The secret lives in {@code credentials} and is never printed. */
    public record Client(CmpProtection.Mac credentials, boolean ra) {
        public Client {
            Objects.requireNonNull(credentials, "credentials");
        }

        public String reference() {
            return credentials.reference();
        }
    }

    public CmpServerSettings {
        clients = List.copyOf(clients);
        Map<String, Long> counts = clients.stream().collect(Collectors.groupingBy(Client::reference, Collectors.counting()));
        counts.forEach((ref, n) -> {
            if (n > 1) {
                throw new IllegalArgumentException("CMP client reference '" + ref + "' is configured " + n + " times");
            }
        });
    }

    Map<String, Client> byReference() {
        return clients.stream().collect(Collectors.toMap(Client::reference, Function.identity()));
    }
}
